/** One plain line per finished step (no cursor codes, no colour): for CI, pipes and TERM=dumb. */

/** The lines logs and CI keep: `xen-dom0-boot: pass 1 build: ok (271 ms) 4488 bytes`. */
export class PlainLines {
  private readonly started = new Map<string, number>();
  private closed = false;

  constructor(private readonly out: { write(chunk: string): unknown }) {}

  start(step: string): void {
    if (!this.closed) this.started.set(step, performance.now());
  }

  finish(step: string, state: 'ok' | 'FAILED', detail: string): void {
    if (this.closed) return;
    const ms = Math.round(performance.now() - (this.started.get(step) ?? performance.now()));
    this.out.write(`xen-dom0-boot: ${step}: ${state} (${ms} ms)${detail ? ` ${detail}` : ''}\n`);
  }

  /** A log line, as it is. */
  print(text: string): void {
    this.out.write(text);
  }

  /** Later steps (one still ending after Ctrl-C) print nothing. */
  close(): void {
    this.closed = true;
  }
}
