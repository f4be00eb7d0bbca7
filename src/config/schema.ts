/** The run configuration: one zod schema shared by the JSON config file and the CLI options. */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const qemuSize = z.string().regex(/^[1-9]\d*[MG]$/, { message: 'expected a QEMU memory size like 6G or 2048M' });
const xenSize = z.string().regex(/^[0-9A-Za-z:,.]+$/, { message: 'expected a Xen dom0_mem value like 256M, 1G or min:512M,max:1G' });
const address = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, { message: 'expected a hex address like 0x40600000' });
const noNewline = z.string().regex(/^[^\n\r]*$/, { message: 'must be a single line' });

const regex = z.string().refine(
  (value) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression' },
);

const DemoBuild = z.strictObject({ type: z.literal('demo'), buildDir: z.string().min(1).optional() });
const ZephyrBuild = z.strictObject({
  type: z.enum(['west', 'cmake']),
  app: z.string().min(1),
  board: z.string().min(1).optional(),
  snippet: z.string().min(1).optional(),
  extraOverlays: z.array(z.string().min(1)).optional(),
  cmakeArgs: z.array(z.string()).optional(),
  buildDir: z.string().min(1).optional(),
});
const CommandBuild = z.strictObject({
  type: z.literal('command'),
  argv: z.array(z.string()).min(1, { message: 'expected the build command as an argv array' }),
  image: z.string().min(1),
  cwd: z.string().min(1).optional(),
  buildDir: z.string().min(1).optional(),
});

/** How Dom0 is built: the demo guest (default), west, cmake, or any command. */
export const BuildSchema = z.discriminatedUnion('type', [DemoBuild, ZephyrBuild, CommandBuild]);
export type BuildConfig = z.infer<typeof BuildSchema>;

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
  xenTimeout: z.number({ message: 'expected a number of seconds' }).positive().max(3600).optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
  build: BuildSchema.optional(),
  overlay: z.string().min(1).optional(),
  maxPasses: z.number().int().min(1).max(20).optional(),
  dom0Timeout: z.number({ message: 'expected a number of seconds' }).positive().max(3600).optional(),
  buildTimeout: z.number({ message: 'expected a number of seconds' }).positive().max(86400).optional(),
  successPatterns: z.array(regex).min(1).optional(),
  failurePattern: regex.optional(),
  pristine: z.boolean().optional(),
  observeDom0: z.boolean().optional(),
  drift: z
    .strictObject({
      xen: z.array(z.string().min(1)).min(1).optional(),
      memory: z.array(qemuSize).min(1).optional(),
      dom0Mem: z.array(xenSize).min(1).optional(),
      xenArgs: z.array(noNewline).min(1).optional(),
      jobs: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
});

export type PartialConfig = z.infer<typeof ConfigSchema>;

/** Fields that hold file paths: resolved against the config file's folder. */
export const PATH_FIELDS = ['xen', 'qemu', 'image', 'dtb', 'out', 'overlay'] as const;

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
  xenTimeout: '--xen-timeout',
  logLevel: '--log-level',
  build: '--builder',
  overlay: '--overlay',
  maxPasses: '--max-passes',
  dom0Timeout: '--dom0-timeout',
  buildTimeout: '--build-timeout',
  successPatterns: '--success',
  failurePattern: '--failure',
  pristine: '--pristine',
  observeDom0: '--observe-dom0',
  drift: 'drift',
};
