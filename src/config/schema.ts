/** The run configuration: one zod schema shared by the JSON config file and the CLI options. */
// zod/mini with a namespace import: the bundle keeps only the checks used here (about 35 KB
// instead of zod's 800 KB), which is load time on every command (README, Performance).
import * as z from 'zod/mini';
import '../util/zod-locale.js';
import { patternProblem } from '../serial/line-pattern.js';

/** Where a boot's first layout comes from when no lock applies: records or a probe boot (auto), a probe boot, or the seed's placeholder. */
export const START_LAYOUTS = ['auto', 'probe', 'placeholder'] as const;
export type StartLayoutMode = (typeof START_LAYOUTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The longest text value accepted (a path, an argument): Linux's PATH_MAX, far above any real command line. */
export const MAX_TEXT = 4096;
/** The most items a list field takes (build arguments, patterns, drift lists). */
export const MAX_ITEMS = 256;

// Every string: bounded, and no NUL (no argv, path or devicetree property can carry one).
const text = z.string().check(
  z.maxLength(MAX_TEXT, `expected at most ${MAX_TEXT} characters`),
  z.refine((value) => !value.includes('\0'), 'must not contain a NUL byte'),
);
const qemuSize = z.string().check(z.regex(/^[1-9]\d*[MG]$/, 'expected a QEMU memory size like 6G or 2048M'));
const xenSize = z
  .string()
  .check(
    z.regex(
      /^(?:(?:min|max):)?(?:0x[0-9a-fA-F]+|\d+)[BKMGTbkmgt]?(?:,(?:(?:min|max):)?(?:0x[0-9a-fA-F]+|\d+)[BKMGTbkmgt]?)*$/,
      'expected a Xen dom0_mem value like 256M, 1G or min:512M,max:1G (no empty items)',
    ),
  );
const address = z.string().check(z.regex(/^0x[0-9a-fA-F]{1,16}$/, 'expected a hex address like 0x40600000'));
const noNewline = text.check(z.regex(/^[^\n\r]*$/, 'must be a single line'));
const nonEmpty = text.check(z.minLength(1, 'expected a non-empty value'));
const seconds = (max: number) =>
  z.number('expected a number of seconds').check(z.positive('expected more than 0 seconds'), z.lte(max, `expected at most ${max} seconds`));
const list = <T extends z.ZodMiniType>(item: T) => z.array(item).check(z.maxLength(MAX_ITEMS, `expected at most ${MAX_ITEMS} items`));
const atLeastOne = <T extends z.ZodMiniType>(item: T) => list(item).check(z.minLength(1, 'expected at least one item'));

/** Marks a zod issue as a refused pattern: CONFIG_INVALID even when it came from --success or --failure. */
export const PATTERN_ISSUE = 'pattern';

// JavaScript regex syntax that RE2 runs in linear time (src/serial/line-pattern.ts); the message names the pattern.
const regex = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = patternProblem(value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: value, params: { kind: PATTERN_ISSUE } });
  }),
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
  extraOverlays: z.optional(list(nonEmpty)),
  cmakeArgs: z.optional(list(text)),
  buildDir: z.optional(nonEmpty),
  toolchain: z.optional(z.enum(ZEPHYR_TOOLCHAINS)),
});
const CommandBuild = z.strictObject({
  type: z.literal('command'),
  argv: list(text).check(z.minLength(1, 'expected the build command as an argv array')),
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
  startLayout: z.optional(z.enum(START_LAYOUTS)),
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
  startLayout: '--start-layout',
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
