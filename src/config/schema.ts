/** The run configuration: one zod schema shared by the JSON config file and the CLI options. */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const qemuSize = z.string().regex(/^[1-9]\d*[MG]$/, { message: 'expected a QEMU memory size like 6G or 2048M' });
const xenSize = z.string().regex(/^[0-9A-Za-z:,.]+$/, { message: 'expected a Xen dom0_mem value like 256M, 1G or min:512M,max:1G' });
const address = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, { message: 'expected a hex address like 0x40600000' });
const noNewline = z.string().regex(/^[^\n\r]*$/, { message: 'must be a single line' });

/** Every field optional: the file and the CLI each give a part; defaults fill the rest. */
export const ConfigSchema = z.strictObject({
  profile: z.string().min(1).optional(),
  xen: z.string().min(1).optional(),
  qemu: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
  dtb: z.string().min(1).optional(),
  memory: qemuSize.optional(),
  dom0Mem: xenSize.optional(),
  xenArgs: noNewline.optional(),
  dom0Args: noNewline.optional(),
  loadAddr: address.optional(),
  out: z.string().min(1).optional(),
  timeout: z.number({ message: 'expected a number of seconds' }).positive().max(3600).optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
});

export type PartialConfig = z.infer<typeof ConfigSchema>;

/** Fields that hold file paths: resolved against the config file's folder. */
export const PATH_FIELDS = ['xen', 'qemu', 'image', 'dtb', 'out'] as const;

/** The CLI option that sets each field, for error messages. */
export const OPTION_OF: Record<keyof PartialConfig, string> = {
  profile: '--profile',
  xen: '--xen',
  qemu: '--qemu',
  image: '--image',
  dtb: '--dtb',
  memory: '--memory',
  dom0Mem: '--dom0-mem',
  xenArgs: '--xen-args',
  dom0Args: '--dom0-args',
  loadAddr: '--load-addr',
  out: '--out',
  timeout: '--timeout',
  logLevel: '--log-level',
};
