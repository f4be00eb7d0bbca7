/** What every builder takes and returns. */

export interface BuildRequest {
  /** The overlay this build must use (EXTRA_DTC_OVERLAY_FILE for Zephyr). */
  overlay: string;
  /** Build directory; reused between passes for incremental builds. */
  buildDir: string;
  /** Where the build's output is streamed. */
  logFile: string;
  /** Remove the build directory's contents first. */
  pristine: boolean;
  timeoutMs: number;
}

export interface BuildResult {
  image: string;
  imageSize: number;
  ms: number;
  /** The commands run, as argv arrays, for the report and the reproduction script. */
  commands: string[][];
  /** True when nothing that goes into the image changed and the previous image was reused. */
  reused?: boolean;
}

export interface Builder {
  readonly kind: 'demo' | 'west' | 'cmake' | 'command';
  /** Default Dom0 success patterns after the hand-over (all must be seen). */
  readonly successPatterns: string[];
  /** Default pattern that means Dom0 reported its own failure. */
  readonly failurePattern: string | null;
  build(request: BuildRequest): Promise<BuildResult>;
}
