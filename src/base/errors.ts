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

/** Stable failure codes, each with the process exit code the CLI maps it to. */
export const EXIT_CODES = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG_INVALID: 2,
  INPUT_NOT_FOUND: 2,
  DTB_MISMATCH: 2,
  TOOL_MISSING: 3,
  IMAGE_BUILD_FAILED: 4,
  QEMU_START_FAILED: 5,
  QEMU_EXITED: 5,
  XEN_SILENT: 6,
  XEN_PANIC: 7,
  DOM0_NOT_BUILT: 8,
  LAYOUT_INCOMPLETE: 9,
  HANDOVER_TIMEOUT: 10,
  DOM0_CRASHED: 11,
  DTB_FAILED: 12,
  OUTPUT_NOT_OURS: 2,
  OUTPUT_WRITE_FAILED: 2,
  RUN_LOCKED: 2,
  OVERLAY_MISMATCH: 2,
  BUILD_FAILED: 4,
  BUILD_TIMEOUT: 4,
  BUILD_STALE: 4,
  DT_TARGET_MISSING: 4,
  DOM0_SILENT: 13,
  DOM0_FAILED: 14,
  NOT_CONVERGED: 15,
  DRIFT: 16,
  INTERRUPTED: 130,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

/** Why a run failed, carried as data so the report, the CLI and tests can all read it. */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  /** Extra facts for the report (e.g. serial tail, missing fields). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, stage: Stage, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.stage = stage;
    this.details = options.details ?? {};
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
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
