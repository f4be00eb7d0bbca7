/**
 * Progress in a real terminal: the built CLI in a tmux pane of 80x24, real Xen under real QEMU; the
 * pane and its scrollback read during and after each run (a boot, --verbose, a drift of 36
 * combinations, a failure, Ctrl-C, TERM=dumb, NO_COLOR).
 */
/* eslint-disable no-control-regex -- these tests look for escape codes in what the terminal got */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FINAL_ROWS } from '../../src/report/progress/frame.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import { CLI, Tmux, type Capture } from './tmux.js';

const COLUMNS = 80;
const ROWS = 24;
const opened: Tmux[] = [];

/** A pane running `args` of the built CLI (sh syntax: $D is the test's own folder), with `env` for it alone (TERM too). */
async function pane(dir: string, args: string, env: Record<string, string> = {}): Promise<Tmux> {
  const vars = Object.entries(env).map(([key, value]) => `${key}=${value} `);
  const t = await Tmux.open(dir, COLUMNS, ROWS, `${vars.join('')}node ${CLI} ${args}`, { D: dir });
  opened.push(t);
  return t;
}

/**
 * The progress view: the first block of lines that are a step (✔ done, ✖ failed, … running), the count
 * of the others or the running boot's serial line (a failure's summary has serial lines of its own, later).
 */
function viewLines(lines: string[]): string[] {
  const isView = (line: string): boolean => /^([✔✖…] |\+ \d+ more step| {2}\| )/.test(line);
  const start = lines.findIndex(isView);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !isView(line));
  return lines.slice(start, end < 0 ? undefined : end);
}
/** The one-line error on stderr (one line by promise: the terminal may wrap it, not the tool). */
const isError = (line: string): boolean => line.startsWith('xen-dom0-boot: ');

/** Every capture taken during the run: its view within the pane (rows - 1 lines) and within columns - 1. */
function assertBounded(captures: Capture[], rows = ROWS, columns = COLUMNS): void {
  for (const { lines, ms } of captures) {
    const view = viewLines(lines);
    assert.ok(view.length <= rows - 1, `at ${ms} ms the view held ${view.length} lines:\n${lines.join('\n')}`);
    for (const line of view) assert.ok(line.length <= columns - 1, `at ${ms} ms, ${line.length} columns: ${line}`);
  }
}

/** Each step line of the scrollback names a different step: nothing was left behind by a redraw. */
function assertEachStepOnce(scrollback: string[]): void {
  const steps = scrollback.filter((line) => /^[✔✖…] /.test(line)).map((line) => line.slice(2).split(/ {2,}/)[0]);
  assert.equal(new Set(steps).size, steps.length, `a step twice in the scrollback:\n${scrollback.join('\n')}`);
}

after(async () => {
  for (const t of opened) await t.kill();
});

describe('progress in a real terminal (tmux, 80x24)', { concurrency: false }, () => {
  const ws = tempDir('term-boot');
  const boot = `boot --overlay $D/app.overlay --build-dir $D/build --out $D/run`;

  it('boot on the embedded default: a live view while it runs, each step once in the scrollback, a summary within 80 columns', async () => {
    // From the seed's placeholder: two passes, so the view has a rebuild to show.
    const t = await pane(ws, `${boot} --start-layout placeholder`);
    await t.go();
    const { captures, exit } = await t.watch(180_000);
    assert.equal(exit, 0, (await t.capture({ history: true })).lines.join('\n'));
    assertBounded(captures);
    const running = captures.flatMap((c) => c.lines).filter((line) => /^… pass [12] (build|rebuild|boot) +\d+\.\d s/.test(line));
    assert.ok(running.length > 0, 'a running step was seen live');
    const { lines } = await t.capture({ history: true });
    assertEachStepOnce(lines);
    // The final view, then the summary: the two passes of a start from the seed's placeholder.
    assert.deepEqual(
      viewLines(lines).map((line) => line.replace(/ +\d+\.\d s/, ' N s')),
      [
        '✔ pass 1 build N s  4488 bytes',
        '✔ pass 1 boot N s  handed-over',
        '✔ pass 2 rebuild N s  4488 bytes',
        '✔ pass 2 boot N s  Dom0 up',
      ],
    );
    assert.ok(lines.includes('  Xen placed Dom0 elsewhere (dom0Banks, grantTable, extendedRegions) -> rebuild'));
    assert.ok(lines.some((line) => /^Dom0 up\. Converged in 2 passes; run took \d+ ms\.$/.test(line)));
    for (const line of lines) assert.ok(line.length <= COLUMNS, `${line.length} columns: ${line}`);
    // Colour in a terminal that has it (tmux's TERM): the marks in green.
    assert.match(t.rawOutput(), /\u001b\[32m✔\u001b\[39m pass 2 boot/);
    assert.equal(await t.show('#{cursor_flag}'), '1', 'the cursor is shown again');
  });

  it('--verbose: the human log (pino-pretty) above the view, no JSON line, the view still bounded', async () => {
    const t = await pane(ws, `${boot}-verbose --verbose`);
    await t.go();
    const { captures, exit } = await t.watch(180_000);
    assert.equal(exit, 0);
    assertBounded(captures);
    const { lines } = await t.capture({ history: true });
    assert.ok(
      lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: step ok \{"step":"pass 1 boot","ms":\d+,"detail":"Dom0 up"\}$/.test(line)),
      lines.join('\n'),
    );
    assert.ok(!lines.some((line) => line.startsWith('{"level"')), 'no raw JSON');
    assertEachStepOnce(lines);
    // The lock from the first run: one pass, its build reused.
    assert.deepEqual(
      viewLines(lines).map((line) => line.split(/ +/)[0] + line.split(/ +/).slice(1, 4).join(' ')),
      ['✔pass 1 build', '✔pass 1 boot'],
    );
    // tool.log stays JSON.
    const log = readFileSync(path.join(ws, 'run-verbose', 'tool.log'), 'utf8')
      .trim()
      .split('\n');
    assert.ok(log.every((line) => JSON.parse(line) && line.startsWith('{')));
  });

  it('Ctrl-C: the view gives way to its final state, the one-line INTERRUPTED error, exit 130, nothing left running', async () => {
    const dir = tempDir('term-sigint');
    // A success pattern Dom0 never prints: the boot waits for it (--dom0-timeout) until Ctrl-C.
    const t = await pane(
      dir,
      `boot --overlay $D/app.overlay --build-dir $D/build --out $D/run --start-layout placeholder --success never-printed --dom0-timeout 120`,
    );
    await t.go();
    let sent: Capture | null = null;
    const { captures, exit } = await t.watch(180_000, async (capture) => {
      if (!sent && capture.lines.some((line) => /^… pass 2 boot/.test(line)) && capture.lines.some((line) => line.startsWith('  | '))) {
        sent = capture;
        await t.keys('C-c');
      }
    });
    assert.ok(sent, 'Ctrl-C was sent while pass 2 boot ran, its serial line shown');
    assert.equal(exit, 130);
    assertBounded(captures);
    const { lines } = await t.capture({ history: true });
    assertEachStepOnce(lines);
    assert.deepEqual(
      viewLines(lines).map((line) => line.replace(/ +\d+\.\d s/, ' N s')),
      [
        '✔ pass 1 build N s  4488 bytes',
        '✔ pass 1 boot N s  handed-over',
        '✔ pass 2 rebuild N s  4488 bytes',
        '✖ pass 2 boot N s  INTERRUPTED',
      ],
      'no running line and no serial line left behind',
    );
    assert.deepEqual(lines.filter(isError), [
      'xen-dom0-boot: xen-boot: SIGINT: stopped QEMU and builds (during pass 2 boot) [INTERRUPTED]',
    ]);
    assert.equal(lines.at(-1), 'EXIT=130');
    assert.equal(await t.show('#{cursor_flag}'), '1', 'the cursor is shown again');
    assert.deepEqual(processesMentioning(path.join(dir, 'run')), []);
  });

  it('a drift of 36 combinations: the view never outgrows the pane, and the scrollback holds each combination at most once', async () => {
    const dir = tempDir('term-drift');
    // 6 x 6 real boots; with 1G and 2G of RAM the big dom0_mem values fail (rows, exit 17). The table goes to a file.
    const t = await pane(dir, `drift --memory 1G,2G,3G,4G,5G,6G --dom0-mem 128M,256M,512M,1G,2G,3G --jobs 2 --out $D/run > $D/table.txt`);
    await t.go();
    const { captures, exit } = await t.watch(600_000);
    assert.equal(exit, 17, (await t.capture({ history: true })).lines.join('\n'));
    assertBounded(captures);
    const counted = captures.filter((c) => c.lines.some((line) => /^\+ \d+ more steps: /.test(line)));
    assert.ok(counted.length > 0, 'the view counted the steps that did not fit');
    const { lines } = await t.capture({ history: true });
    assertEachStepOnce(lines);
    const view = viewLines(lines);
    assert.ok(view.length <= FINAL_ROWS, `the final view: ${view.length} lines`);
    assert.match(view[0]!, /^\+ \d+ more steps: \d+ ok/);
    const failed = view.filter((line) => line.startsWith('✖ '));
    assert.ok(failed.length > 0 && failed.every((line) => / {2}[A-Z][A-Z0-9_]+$/.test(line)), view.join('\n'));
    // Stdout went to a file: the whole scrollback is the final view, the error line and EXIT, less than one pane.
    assert.ok(lines.length < ROWS, `${lines.length} lines in the scrollback:\n${lines.join('\n')}`);
    assert.ok(!view.some((line) => line.startsWith('… ')), 'nothing left running');
    assert.equal(lines.filter(isError).length, 1);
    assert.match(lines.filter(isError)[0]!, /^xen-dom0-boot: drift: \d+ of 36 combinations failed: #\d+ xen 4\.17, -m 1G/);
    // The human output within 80 columns: 36 blocks.
    const table = readFileSync(path.join(dir, 'table.txt'), 'utf8').trimEnd().split('\n');
    assert.equal(table.filter((line) => /^#\d+ xen 4\.17, -m \dG, dom0_mem=\d+[MG]: /.test(line)).length, 36);
    for (const line of table) assert.ok(line.length <= COLUMNS, `${line.length} columns: ${line}`);
    assert.match(table.at(-2)!, /^36 combinations, \d+ failed, 2 at once, \d+ ms$/);
  });

  it('a resize while it runs: the view is drawn at the new size at once; at most one old frame is left in the scrollback', async () => {
    const dir = tempDir('term-resize');
    const t = await pane(dir, `drift --memory 2G,3G,4G,5G,6G,7G --dom0-mem 128M,256M --jobs 2 --out $D/run > $D/table.txt`);
    await t.go();
    let resizing: [number, number] | null = null;
    const { captures, exit } = await t.watch(300_000, async (capture) => {
      if (resizing === null && capture.lines.some((line) => line.startsWith('✔ '))) {
        const start = t.now();
        await t.resize(40, 10);
        // The tool redraws on SIGWINCH at once; 300 ms for it to get there on a busy machine.
        resizing = [start, t.now() + 300];
      }
    });
    assert.equal(exit, 0);
    assert.ok(resizing, 'resized while combinations ran');
    const [start, settled] = resizing as [number, number];
    const before = captures.filter((c) => c.ms < start);
    const after = captures.filter((c) => c.ms > settled);
    assert.ok(before.length > 0 && after.length > 0);
    assertBounded(before);
    assertBounded(after, 10, 40);
    assert.ok(
      after.some((c) => viewLines(c.lines).length === 9),
      'the 12 steps filled the 9 lines the new size allows',
    );
    const { lines } = await t.capture({ history: true });
    const stepLines = lines.filter((line) => /^[✔✖…+] /.test(line));
    assert.ok(stepLines.length <= FINAL_ROWS + (ROWS - 1), `${stepLines.length} step lines in the scrollback`);
    // The final view at the end, within the new size: 9 lines, the count of the others first.
    const final = lines.slice(lines.length - 10, -1);
    assert.match(final[0]!, /^\+ \d+ more steps: \d+ ok$/);
    assert.ok(
      final.every((line) => line.length <= 39 && /^[✔+] /.test(line)),
      final.join('\n'),
    );
  });

  it('a failing run: the failed step stays in the final view, the summary says why within 80 columns, one error line', async () => {
    const dir = tempDir('term-fail');
    const t = await pane(dir, `learn --memory 2G --dom0-mem 3G --out $D/run`);
    await t.go();
    const { captures, exit } = await t.watch(180_000);
    assert.equal(exit, 8);
    assertBounded(captures);
    const { lines } = await t.capture({ history: true });
    assertEachStepOnce(lines);
    assert.deepEqual(
      viewLines(lines).map((line) => line.replace(/ +\d+\.\d s/, ' N s')),
      ['✖ boot N s  DOM0_NOT_BUILT'],
    );
    assert.ok(
      lines.some((line) => /^FAILED at xen-boot \(DOM0_NOT_BUILT\): Xen could not give Dom0 its memory/.test(line)),
      lines.join('\n'),
    );
    assert.equal(lines.filter(isError).length, 1);
    assert.match(lines.filter(isError)[0]!, /^xen-dom0-boot: xen-boot: Xen could not give Dom0 its memory: .* \[DOM0_NOT_BUILT\]$/);
    for (const line of lines.filter((l) => !isError(l))) assert.ok(line.length <= COLUMNS, `${line.length} columns: ${line}`);
  });

  it('TERM=dumb: one plain line per step, not a single escape code', async () => {
    const dir = tempDir('term-dumb');
    const t = await pane(dir, `learn --out $D/run`, { TERM: 'dumb' });
    await t.go();
    const { exit } = await t.watch(180_000);
    assert.equal(exit, 0);
    const { lines } = await t.capture({ history: true });
    assert.deepEqual(
      lines.filter((line) => line.startsWith('xen-dom0-boot: ')).map((line) => line.replace(/\d+ ms/g, 'N ms')),
      ['xen-dom0-boot: boot: ok (N ms) hand-over after N ms'],
    );
    assert.deepEqual(viewLines(lines), []);
    assert.ok(lines.includes('Result: ok'));
    assert.doesNotMatch(t.rawOutput(), /\u001b/);
  });

  it('NO_COLOR=1: the live view without a colour code; FORCE_COLOR=0 the same', async () => {
    for (const env of [{ NO_COLOR: '1' }, { FORCE_COLOR: '0' }] as Record<string, string>[]) {
      const dir = tempDir('term-nocolor');
      const t = await pane(dir, `learn --out $D/run`, env);
      await t.go();
      const { exit } = await t.watch(180_000);
      assert.equal(exit, 0);
      const raw = t.rawOutput();
      assert.match(raw, /\u001b\[\?25l/, `${JSON.stringify(env)}: live (the cursor hidden while it draws)`);
      assert.match(raw, /✔ boot/);
      assert.doesNotMatch(raw, /\u001b\[[0-9;]*m/, `${JSON.stringify(env)}: no SGR code`);
    }
  });

  it("NO_COLOR=1 with FORCE_COLOR=1: colour (FORCE_COLOR wins), and no warning of Node's in the output", async () => {
    const dir = tempDir('term-force');
    const t = await pane(dir, `learn --out $D/run`, { NO_COLOR: '1', FORCE_COLOR: '1' });
    await t.go();
    const { exit } = await t.watch(180_000);
    assert.equal(exit, 0);
    const raw = t.rawOutput();
    assert.match(raw, /\u001b\[32m✔/, 'coloured');
    assert.doesNotMatch(raw, /Warning|NO_COLOR/, "Node's warning about the two variables is not printed");
  });
});
