/** Every option of the run commands, once: its value, what it means, how a shell completes it. */

/** How a shell completes an option's value: a file, a folder, one of some words, or nothing. */
export type Completion = 'file' | 'dir' | readonly string[];

/** One option: help's line, the parser's kind (flag, value, list) and completion's hint. */
export interface OptionSpec {
  /** The value's name in help (`--out <dir>`); none: a flag. */
  arg?: string;
  /** Given again, it adds a value (the values are a list). */
  repeat?: boolean;
  about: string;
  /** What it means in drift, where it is a list of values, when that differs. */
  aboutDrift?: string;
  complete?: Completion;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The options of learn, boot, check, drift and drift merge (commands.ts says which takes which). */
export const OPTIONS = {
  config: { arg: 'file', complete: 'file', about: 'JSON config file with these options as fields; options given here win' },
  image: { arg: 'path', complete: 'file', about: 'Dom0 image, an arm64 Image (default: the test image)' },
  xen: {
    arg: 'path',
    complete: 'file',
    about: 'Xen binary, or 4.17 / 4.20 for the copies setup fetched (default 4.17)',
    aboutDrift: 'Xen binaries or 4.17 / 4.20, comma-separated (default 4.17)',
  },
  qemu: { arg: 'path', complete: 'file', about: "qemu-system-aarch64 (default: the Zephyr SDK's, setup's QEMU 10, else PATH's)" },
  dtb: { arg: 'path', complete: 'file', about: "your own .dts or .dtb for Xen; only the boot module's size is patched" },
  memory: { arg: 'size', about: 'QEMU memory, e.g. 6G (default 6G)', aboutDrift: 'QEMU memory sizes, comma-separated (default 6G)' },
  'dom0-mem': { arg: 'size', about: "Xen's dom0_mem (default 256M)", aboutDrift: "Xen's dom0_mem values, comma-separated (default 256M)" },
  'xen-args': {
    arg: 'args',
    repeat: true,
    about: "appended to Xen's command line (repeatable)",
    aboutDrift: 'Xen arguments: each use is one value of the matrix (repeatable)',
  },
  'dom0-args': { arg: 'args', about: "Dom0's command line, xen,dom0-bootargs (default console=hvc0)" },
  'load-addr': { arg: 'hex', about: "where QEMU's loader puts the image (default 0x40600000)" },
  profile: { arg: 'name', complete: 'file', about: 'QEMU machine profile: a name from qemu/ or a file (default virt-cortex-a53)' },
  timeout: { arg: 'sec', about: "deadline for Xen's hand-over to Dom0 (default 60)" },
  'xen-timeout': { arg: 'sec', about: "deadline for Xen's first line (default 15)" },
  builder: { arg: 'type', complete: ['demo', 'west', 'cmake'], about: 'how Dom0 is built: demo, west or cmake (default demo)' },
  app: { arg: 'dir', complete: 'dir', about: 'Zephyr application folder (west or cmake; --app alone means west)' },
  board: { arg: 'name', about: 'Zephyr board (default qemu_cortex_a53)' },
  toolchain: {
    arg: 'name',
    complete: ['zephyr-sdk', 'cross-compile'],
    about: "Zephyr's compiler: zephyr-sdk (default) or cross-compile (Debian's)",
  },
  'build-dir': { arg: 'dir', complete: 'dir', about: 'build folder, reused by every pass' },
  overlay: { arg: 'file', complete: 'file', about: 'the overlay the tool maintains; its lock is <file>.lock.json' },
  'max-passes': { arg: 'n', about: 'give up when the layout still moves after n passes (default 3)' },
  'dom0-timeout': { arg: 'sec', about: "Dom0's time after the hand-over to print its success patterns (default 20)" },
  'build-timeout': { arg: 'sec', about: 'deadline of each build (default 1800)' },
  success: { arg: 'regex', repeat: true, about: "Dom0's success pattern (RE2); repeat for several, all must be seen" },
  failure: { arg: 'regex', about: "Dom0's own failure pattern (RE2; demo default ^dom0-demo: FAIL)" },
  pristine: { about: "first delete what the tool's earlier builds made in the build folder" },
  'observe-dom0': { about: 'also watch Dom0 on a pass whose layout was wrong (how it fails)' },
  'start-layout': {
    arg: 'mode',
    complete: ['auto', 'probe', 'placeholder'],
    about:
      "pass 1's layout when no lock applies: a recorded one, else a probe boot (auto, the default); a probe boot (probe); the seed's (placeholder)",
  },
  fix: { about: 'on drift, run the full loop and rewrite the overlay and its lock' },
  jobs: { arg: 'n', about: 'boots at once (default: the number of cores)' },
  shard: { arg: 'k/n', complete: ['auto'], about: 'boot shard k of n of the matrix (auto: CI_NODE_INDEX/CI_NODE_TOTAL)' },
  'fail-on': {
    arg: 'when',
    complete: ['failure', 'drift', 'never'],
    about: 'exit 17 when combinations failed (failure, the default), also 18 when a layout moved (drift), or 0 (never)',
  },
  baseline: { arg: 'file', complete: 'file', about: "compare each combination with this drift.json's row" },
  out: { arg: 'dir', complete: 'dir', about: 'run folder (default runs/<command>-<time>-<pid>)' },
  'log-level': { arg: 'level', complete: LOG_LEVELS, about: `level of <run>/tool.log: ${LOG_LEVELS.join(', ')} (default info)` },
  verbose: { about: 'also stream the log to stderr' },
  json: { about: 'print report.json instead of the summary', aboutDrift: 'print drift.json instead of the table' },
  'print-qemu-cmd': { about: 'make the dtb, print the exact QEMU command, boot nothing' },
  junit: { arg: 'file', complete: 'file', about: 'also write JUnit XML, whether the run failed or not' },
  bundle: { arg: 'file', complete: 'file', about: 'also pack the run folder into this .tar.gz' },
} as const satisfies Record<string, OptionSpec>;

/** The name of a run command's option (without its dashes). */
export type OptionName = keyof typeof OPTIONS;
type Spec<K extends OptionName> = (typeof OPTIONS)[K];
type FlagName = { [K in OptionName]: Spec<K> extends { arg: string } ? never : K }[OptionName];
type ListName = { [K in OptionName]: Spec<K> extends { repeat: true } ? K : never }[OptionName];

/** The options as read: text as given (config-from-argv.ts validates it), lists for repeatable ones, true for flags given. */
export type Values = { [K in FlagName]?: boolean } & { [K in ListName]?: string[] } & {
  [K in Exclude<OptionName, FlagName | ListName>]?: string;
};

/** setup's own options (scripts/setup.sh's arguments): its --xen is a version to fetch, not a Xen to boot. */
export const SETUP_OPTIONS = {
  xen: { arg: 'version', repeat: true, complete: ['4.20'], about: "also fetch Debian's Xen 4.20 (4.17 is always fetched; repeatable)" },
  'zephyr-deps': { about: "also install what a Zephyr build with Debian's cross compiler needs" },
} as const satisfies Record<string, OptionSpec>;
