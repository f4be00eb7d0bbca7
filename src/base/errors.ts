/** Every failure the tool reports: one family with a stable code, the stage it came from and its cause. */

/** Where in a run a failure happened; used in report.json and (later) JUnit. */
export type Stage =
  | 'config'
  | 'tools'
  | 'image'
  | 'dtb'
  | 'qemu-start'
  | 'xen-boot'
  | 'handover'
  | 'layout'
  | 'report'
  | 'build'
  | 'overlay'
  | 'dom0'
  | 'converge'
  | 'drift'
  | 'internal';

/** One row of the code table: the process exit code and what the code means (what, and when it happens). */
export interface CodeInfo {
  exit: number;
  meaning: string;
}

/**
 * The one table of codes: each with the exit code the CLI maps it to and its one meaning.
 * EXIT_CODES, ErrorCode, the README's "Exit codes" table (scripts/exit-codes.ts) derive from it.
 * OK is the success row, not a failure code. Keep meanings on one line, markdown-safe (no `|`).
 */
export const CODE_TABLE = {
  OK: { exit: 0, meaning: "ok: Dom0's layout learned (`learn`, `drift`), Dom0 up and converged (`boot`, `check`)" },
  INTERNAL: {
    exit: 1,
    meaning: 'internal error: something other than a ToolError was thrown (a bug: please report it with the run folder)',
  },
  USAGE: {
    exit: 2,
    meaning:
      'the command line is wrong: an unknown command, option or argument, a bad option value, or options that do not go together (the message names the option)',
  },
  CONFIG_INVALID: {
    exit: 2,
    meaning:
      "a settings file is not valid: the `--config` file, a QEMU profile or an overlay's lock file is not JSON or a field's value is refused (the message names the file and field)",
  },
  INPUT_NOT_FOUND: {
    exit: 2,
    meaning:
      "a file or folder the run reads is missing or unreadable: one you named (`--xen`, `--dtb`, `--image`, `--qemu`, `--config`, a QEMU profile, `build.cwd`), or `check`'s lock file",
  },
  DTB_MISMATCH: {
    exit: 2,
    meaning:
      'your `--dtb` cannot be used: it does not compile or read as a device tree, has no `/chosen` module node, or that node disagrees with `--load-addr` or cannot hold the image size',
  },
  OUTPUT_NOT_OURS: {
    exit: 2,
    meaning:
      'a file or folder the tool would write or delete holds what it did not make (a hand-written overlay, a folder at a run lock, files in `--out` or in `--build-dir` for `--pristine`, a link in `--out`): refused, left as it is',
  },
  OUTPUT_WRITE_FAILED: {
    exit: 2,
    meaning:
      'a file could not be written: read-only, full, over quota, no permission, or a folder or link in the way (file and errno named)',
  },
  RUN_LOCKED: {
    exit: 2,
    meaning: "another xen-dom0-boot run holds the project's (or the build folder's) run lock: wait for it to finish",
  },
  LOCK_CHANGED: {
    exit: 2,
    meaning:
      "`boot`, `check --fix`: another run rewrote the overlay's lock file while this one ran; neither file was overwritten: run again",
  },
  OVERLAY_MISMATCH: {
    exit: 2,
    meaning: "`check`: the committed overlay is missing or disagrees with its lock (the differences are in the report's details)",
  },
  BUNDLE_FAILED: {
    exit: 2,
    meaning: '`--bundle`: tar could not pack the run folder into the tar.gz (tar says why); nothing is left at the bundle path',
  },
  SHARDS_MISMATCH: {
    exit: 2,
    meaning:
      '`drift merge`: the shards do not make one matrix: different matrices or tool versions, a shard given twice, or shards missing (named)',
  },
  TOOL_MISSING: {
    exit: 3,
    meaning:
      'a host tool (dtc, tar, cmake, west, a cross gcc, ...), `ZEPHYR_BASE` or the default Xen binary is missing or unusable (the message says which and how to get it)',
  },
  IMAGE_BUILD_FAILED: {
    exit: 4,
    meaning: '`learn`, `drift` without `--image`: the built-in test image could not be compiled (gcc or objcopy failed)',
  },
  BUILD_FAILED: {
    exit: 4,
    meaning:
      "Dom0's build (demo, west, cmake or `build.argv`) failed, or succeeded without the image or devicetree it writes (the log's tail is in the report)",
  },
  BUILD_TIMEOUT: { exit: 4, meaning: "Dom0's build ran past `--build-timeout` and was stopped" },
  BUILD_STALE: {
    exit: 4,
    meaning:
      "the build's outputs (zephyr.elf, .config, zephyr.dts) disagree with the layout it was given: a stale build folder (try `--pristine`)",
  },
  DT_TARGET_MISSING: {
    exit: 4,
    meaning: 'the base devicetree has no `zephyr,sram` in `/chosen` (or it names no node), or several enabled `xen,xen` nodes',
  },
  DT_CELLS_MISMATCH: {
    exit: 4,
    meaning:
      'an address or size Xen picked cannot be written in the cells the base devicetree gives its node (`#address-cells`, `#size-cells` of the parent, e.g. above 4 GiB in one cell)',
  },
  QEMU_START_FAILED: { exit: 5, meaning: 'QEMU could not be started (no such file, not executable, or spawning it failed)' },
  QEMU_EXITED: {
    exit: 5,
    meaning: 'QEMU exited or was killed before the boot ended, Dom0 being watched included (how, and its stderr, are in the message)',
  },
  XEN_SILENT: { exit: 6, meaning: 'Xen printed nothing before `--xen-timeout`' },
  XEN_PANIC: { exit: 7, meaning: 'Xen panicked (the panic message)' },
  DOM0_NOT_BUILT: { exit: 8, meaning: "Xen could not build Dom0 (Xen's reason, e.g. not enough memory)" },
  LAYOUT_INCOMPLETE: {
    exit: 9,
    meaning:
      "Dom0's layout is incomplete or impossible: Xen handed over without printing every layout line, or printed ones that cannot all be true (named in the message)",
  },
  HANDOVER_TIMEOUT: { exit: 10, meaning: 'Xen started but did not hand over to Dom0 before `--timeout` (last Xen line named)' },
  DOM0_CRASHED: { exit: 11, meaning: 'Xen said Dom0 crashed or halted' },
  DTB_FAILED: {
    exit: 12,
    meaning: "the device tree for Xen could not be made: dumping QEMU's, or dtc, fdtget or fdtput on it, failed",
  },
  DOM0_SILENT: {
    exit: 13,
    meaning:
      '`boot`, `check`: Dom0 did not print its success patterns within `--dom0-timeout` after the hand-over (likely an address mismatch: the report holds the layout built with and the one Xen picked)',
  },
  DOM0_FAILED: { exit: 14, meaning: '`boot`, `check`: Dom0 printed its failure pattern (the demo guest names each difference)' },
  NOT_CONVERGED: {
    exit: 15,
    meaning: "`boot`: Xen's layout still moved after `--max-passes` passes (the last two layouts are in the report)",
  },
  DRIFT: { exit: 16, meaning: "`check`: Xen's layout drifted from the lock file (a table of old and new values follows)" },
  COMBOS_FAILED: {
    exit: 17,
    meaning:
      '`drift`, `drift merge` (`--fail-on failure`, the default, or `drift`): one or more combinations failed (each is a row of the table with its code)',
  },
  MATRIX_DRIFT: {
    exit: 18,
    meaning:
      '`drift`, `drift merge` with `--fail-on drift`: a layout cell differs from the first row, or from the row of the same combination in `--baseline`',
  },
  INTERRUPTED: {
    exit: 130,
    meaning:
      'SIGINT, SIGTERM, SIGHUP, or stdout/stderr closed (EPIPE, e.g. piped into `head -1`: no message then): QEMU, builds and their children were stopped first',
  },
} as const satisfies Record<string, CodeInfo>;

type CodeName = keyof typeof CODE_TABLE;

/** Stable failure codes (every row of CODE_TABLE but the success row). */
export type ErrorCode = Exclude<CodeName, 'OK'>;

/** Each code with the process exit code the CLI maps it to (OK: 0 included). */
export const EXIT_CODES = Object.fromEntries(Object.entries(CODE_TABLE).map(([code, info]) => [code, info.exit])) as {
  readonly [C in CodeName]: (typeof CODE_TABLE)[C]['exit'];
};

/** The table's rows in its order (by exit code), the success row first. */
export const codeRows = (): { code: CodeName; exit: number; meaning: string }[] =>
  (Object.entries(CODE_TABLE) as [CodeName, CodeInfo][]).map(([code, info]) => ({ code, ...info }));

/** A range as report.json writes it: lowercase hex strings, end exclusive. */
type RangeFacts = { start: string; end: string };

/**
 * A layout as report.json writes it: structurally xen/layout-json.ts's LayoutJson (base imports
 * nothing above it; test/base/exit-codes.test.ts keeps the two assignable both ways).
 */
export type LayoutFacts = {
  xenVersion: string | null;
  dom0Banks: RangeFacts[];
  grantTable: RangeFacts | null;
  extendedRegions: RangeFacts[];
  eventChannelPpi: number | null;
  kernel: RangeFacts | null;
  dom0Dtb: RangeFacts | null;
};

/** One field Xen's layout moved, as xen/layout-diff.ts's FieldChange. */
export type FieldChangeFacts = { field: 'dom0Banks' | 'grantTable' | 'extendedRegions' | 'eventChannelPpi'; from: unknown; to: unknown };

/** Every fact a failure can carry (report.json's failure.details), by key, with its type. */
export type DetailFields = {
  /** The last lines of Xen's serial output. */
  serialTail: string[];
  /** The last lines QEMU wrote to stderr. */
  stderrTail: string[];
  /** Layout lines Xen printed that cannot all be true. */
  anomalies: string[];
  /** Layout fields Xen never printed. */
  missing: string[];
  /** What Dom0 printed after the hand-over. */
  dom0Lines: string[];
  /** The success patterns Dom0 never printed. */
  missingPatterns: string[];
  builtWith: LayoutFacts;
  xenPicked: LayoutFacts;
  /** QEMU's version line, when a QEMU older than 8.2 may be why Dom0 went silent. */
  qemuVersion: string;
  lastTwoLayouts: (LayoutFacts | null)[];
  /** Where the committed overlay differs from what its lock renders. */
  differences: string[];
  changes: FieldChangeFacts[];
  /** check: the deciding inputs (Xen, QEMU, memory, dom0_mem, options) that differ from the lock's, as overlay/lock-inputs.ts's InputChange. */
  inputChanges: { input: string; lock: string; now: string }[];
  /** Where the build's outputs disagree with the layout. */
  findings: string[];
  /** The last lines of the build's log. */
  logTail: string[];
  /** The host tool command that failed, as argv. */
  command: string[];
  /** drift: the combinations that failed or drifted, as the table names them. */
  combinations: string[];
};

type Has<K extends keyof DetailFields> = Pick<DetailFields, K>;
type May<K extends keyof DetailFields> = Partial<Pick<DetailFields, K>>;
type Empty = Record<never, never>;

/** A Xen boot that failed: Xen's last serial lines. */
export type XenBootDetails = Has<'serialTail'>;
/** Dom0 watched after the hand-over: what it printed, which patterns it did not, built-with and picked layouts. */
export type Dom0WatchDetails = Has<'dom0Lines' | 'missingPatterns' | 'builtWith' | 'xenPicked'>;

/** The facts each code may (or must) carry: a producer cannot attach another code's facts. */
export type DetailsByCode = {
  INTERNAL: Empty;
  USAGE: Empty;
  CONFIG_INVALID: Empty;
  INPUT_NOT_FOUND: Empty;
  DTB_MISMATCH: May<'command'>;
  OUTPUT_NOT_OURS: Empty;
  OUTPUT_WRITE_FAILED: Empty;
  RUN_LOCKED: Empty;
  LOCK_CHANGED: Empty;
  OVERLAY_MISMATCH: May<'differences'>;
  BUNDLE_FAILED: Empty;
  TOOL_MISSING: May<'command'>;
  IMAGE_BUILD_FAILED: May<'command'>;
  BUILD_FAILED: May<'logTail'>;
  BUILD_TIMEOUT: Empty;
  BUILD_STALE: Has<'findings'>;
  DT_TARGET_MISSING: Empty;
  DT_CELLS_MISMATCH: Empty;
  QEMU_START_FAILED: Empty;
  /** Xen's serial tail when QEMU ended during the boot, what Dom0 printed when it ended while Dom0 was watched. */
  QEMU_EXITED: Has<'stderrTail'> & May<'serialTail'> & Partial<Dom0WatchDetails>;
  XEN_SILENT: XenBootDetails;
  XEN_PANIC: XenBootDetails;
  DOM0_NOT_BUILT: XenBootDetails;
  LAYOUT_INCOMPLETE: May<'serialTail' | 'anomalies' | 'missing'>;
  HANDOVER_TIMEOUT: XenBootDetails;
  /** Xen's serial tail when Xen said so at the hand-over, what Dom0 printed when it crashed while watched. */
  DOM0_CRASHED: May<'serialTail'> & Partial<Dom0WatchDetails>;
  DTB_FAILED: May<'command'>;
  DOM0_SILENT: Dom0WatchDetails & May<'qemuVersion'>;
  DOM0_FAILED: Dom0WatchDetails;
  NOT_CONVERGED: Has<'lastTwoLayouts'>;
  DRIFT: Has<'changes' | 'inputChanges'>;
  COMBOS_FAILED: Has<'combinations'>;
  MATRIX_DRIFT: Has<'combinations'>;
  SHARDS_MISMATCH: Empty;
  INTERRUPTED: Empty;
};

/** report.json's failure.details as a reader sees it: any fact may be there, each with its type. */
export type FailureDetails = Partial<DetailFields>;

/** The codes whose details may carry `key` (e.g. runTool's codes, which attach the failed command). */
export type CodesWithDetail<K extends keyof DetailFields> = {
  [C in ErrorCode]: K extends keyof DetailsByCode[C] ? C : never;
}[ErrorCode];

/** `details` is required exactly when the code has facts it must carry. */
export type ToolErrorOptions<C extends ErrorCode> = { cause?: unknown } & (Empty extends DetailsByCode[C]
  ? { details?: DetailsByCode[C] }
  : { details: DetailsByCode[C] });

type OptionsArg<C extends ErrorCode> = Empty extends DetailsByCode[C] ? [options?: ToolErrorOptions<C>] : [options: ToolErrorOptions<C>];

/** Why a run failed, carried as data so the report, the CLI and tests can all read it. */
export class ToolError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly stage: Stage;
  /** Extra facts for the report (e.g. serial tail, missing fields): the code's own, any other key absent. */
  readonly details: DetailsByCode[C] & FailureDetails;

  constructor(code: C, stage: Stage, message: string, ...[options]: OptionsArg<C>) {
    super(message, { cause: options?.cause });
    this.name = 'ToolError';
    this.code = code;
    this.stage = stage;
    this.details = (options?.details ?? {}) as DetailsByCode[C] & FailureDetails;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /** True (and typed so) when this is a `code` failure: its details are then that code's. */
  is<K extends ErrorCode>(code: K): this is ToolError<K> {
    return (this.code as ErrorCode) === code;
  }
}

/** Errors that can only come from writing: a full or read-only file system. */
const WRITE_ERRNOS: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
};

/** Wraps anything thrown into a ToolError so callers only ever see one shape. */
export function toToolError(error: unknown, stage: Stage = 'internal'): ToolError {
  if (error instanceof ToolError) return error;
  const errno = error as NodeJS.ErrnoException | null;
  const why = typeof errno?.code === 'string' ? WRITE_ERRNOS[errno.code] : undefined;
  if (why && errno?.path) {
    // A write the caller did not label: still a clear error naming the file, never INTERNAL.
    return new ToolError(
      'OUTPUT_WRITE_FAILED',
      stage === 'internal' ? 'report' : stage,
      `${errno.path}: cannot write: ${why} (${errno.code})`,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError('INTERNAL', stage, `unexpected error: ${message}`, { cause: error });
}
