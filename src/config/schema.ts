/** The run configuration: one zod schema shared by the JSON config file and the CLI options. */
// zod/mini with a namespace import: the bundle keeps only the checks used here (about 35 KB
// instead of zod's 800 KB), which is load time on every command (README, Performance).
import * as z from 'zod/mini';
import '../util/zod-locale.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const qemuSize = z.string().check(z.regex(/^[1-9]\d*[MG]$/, 'expected a QEMU memory size like 6G or 2048M'));
const xenSize = z.string().check(z.regex(/^[0-9A-Za-z:,.]+$/, 'expected a Xen dom0_mem value like 256M, 1G or min:512M,max:1G'));
const address = z.string().check(z.regex(/^0x[0-9a-fA-F]{1,16}$/, 'expected a hex address like 0x40600000'));
const noNewline = z.string().check(z.regex(/^[^\n\r]*$/, 'must be a single line'));
const nonEmpty = z.string().check(z.minLength(1));
const seconds = (max: number) =>
  z.number('expected a number of seconds').check(z.positive('expected more than 0 seconds'), z.lte(max, `expected at most ${max} seconds`));
const atLeastOne = <T extends z.ZodMiniType>(item: T) => z.array(item).check(z.minLength(1));

const regex = z.string().check(
  z.refine((value) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  }, 'expected a valid regular expression'),
);

/** Zephyr toolchains the tool can set up: Zephyr's SDK (Zephyr's default) or Debian's aarch64-linux-gnu-gcc. */
export const ZEPHYR_TOOLCHAINS = ['zephyr-sdk', 'cross-compile'] as const;
export type ZephyrToolchain = (typeof ZEPHYR_TOOLCHAINS)[number];

const DemoBuild = z.strictObject({ type: z.literal('demo'), buildDir: z.optional(nonEmpty) });
const ZephyrBuild = z.strictObject({
  type: z.enum(['west', 'cmake']),
  app: nonEmpty,
  board: z.optional(nonEmpty),
  snippet: z.optional(nonEmpty),
  extraOverlays: z.optional(z.array(nonEmpty)),
  cmakeArgs: z.optional(z.array(z.string())),
  buildDir: z.optional(nonEmpty),
  toolchain: z.optional(z.enum(ZEPHYR_TOOLCHAINS)),
});
const CommandBuild = z.strictObject({
  type: z.literal('command'),
  argv: z.array(z.string()).check(z.minLength(1, 'expected the build command as an argv array')),
  image: nonEmpty,
  cwd: z.optional(nonEmpty),
  buildDir: z.optional(nonEmpty),
});

/** How Dom0 is built: the demo guest (default), west, cmake, or any command. */
export const BuildSchema = z.discriminatedUnion('type', [DemoBuild, ZephyrBuild, CommandBuild]);
export type BuildConfig = z.infer<typeof BuildSchema>;

/** Every field optional: the file and the CLI each give a part; defaults fill the rest. */
export const ConfigSchema = z.strictObject({
  profile: z.optional(nonEmpty),
  xen: z.optional(nonEmpty),
  qemu: z.optional(nonEmpty),
  image: z.optional(nonEmpty),
  dtb: z.optional(nonEmpty),
  memory: z.optional(qemuSize),
  dom0Mem: z.optional(xenSize),
  xenArgs: z.optional(noNewline),
  dom0Args: z.optional(noNewline),
  loadAddr: z.optional(address),
  out: z.optional(nonEmpty),
  timeout: z.optional(seconds(3600)),
  xenTimeout: z.optional(seconds(3600)),
  logLevel: z.optional(z.enum(LOG_LEVELS)),
  build: z.optional(BuildSchema),
  overlay: z.optional(nonEmpty),
  maxPasses: z.optional(z.int().check(z.gte(1), z.lte(20))),
  dom0Timeout: z.optional(seconds(3600)),
  buildTimeout: z.optional(seconds(86400)),
  successPatterns: z.optional(atLeastOne(regex)),
  failurePattern: z.optional(regex),
  pristine: z.optional(z.boolean()),
  observeDom0: z.optional(z.boolean()),
  drift: z.optional(
    z.strictObject({
      xen: z.optional(atLeastOne(nonEmpty)),
      memory: z.optional(atLeastOne(qemuSize)),
      dom0Mem: z.optional(atLeastOne(xenSize)),
      xenArgs: z.optional(atLeastOne(noNewline)),
      jobs: z.optional(z.int().check(z.gte(1), z.lte(64))),
    }),
  ),
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

/** The CLI option that sets each `build` field, so an error names --toolchain rather than --builder. */
export const BUILD_OPTION_OF: Record<string, string> = {
  type: '--builder',
  app: '--app',
  board: '--board',
  buildDir: '--build-dir',
  toolchain: '--toolchain',
};
