/** `boot` end to end on the demo guest, real Xen 4.17 under real QEMU. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readReport, ROOT, runCli, TEST_LAYOUTS } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import { bootInputsOf, type ReportJson } from '../../src/report/report.js';

/** A workspace of its own: overlay, lock and build folder in a temp dir. */
function workspace() {
  const dir = tempDir('boot');
  return { dir, overlay: path.join(dir, 'app.overlay'), buildDir: path.join(dir, 'build') };
}

async function boot(
  ws: ReturnType<typeof workspace>,
  ...args: string[]
): Promise<{ exitCode: number; report: ReportJson; stderr: string }> {
  const out = path.join(tempDir('boot-run'), 'run');
  const run = await runCli(['boot', '--json', '--overlay', ws.overlay, '--build-dir', ws.buildDir, '--out', out, ...args]);
  const report = JSON.parse(run.stdout) as ReportJson;
  // What --json printed is the run folder's report, valid against the schema.
  assert.deepEqual(readReport(out), report);
  assert.deepEqual(processesMentioning(out), []);
  return { exitCode: run.exitCode, report, stderr: run.stderr };
}

describe('boot on the demo guest', () => {
  const ws = workspace();

  it('from a wrong starting overlay: pass 1 guest fails as Zephyr would, pass 2 prints match and its banner', async () => {
    // --start-layout placeholder: the first layout is the seed's, as before probe boots (the loop itself is tested here).
    const { exitCode, report, stderr } = await boot(ws, '--observe-dom0', '--start-layout', 'placeholder');
    assert.equal(exitCode, 0, stderr);
    assert.equal(report.converged, true);
    assert.equal(report.passes!.length, 2);
    const [p1, p2] = report.passes!;
    assert.equal(bootInputsOf(report)!.startLayout, 'placeholder');
    assert.equal(p1!.built.dom0Banks[0]!.start, '0x60000000');
    assert.equal(p1!.rebuildNeeded, true);
    assert.deepEqual(
      p1!.changes.map((c) => c.field),
      ['dom0Banks', 'grantTable', 'extendedRegions'],
    );
    const dom0First = report.boots[p1!.boot]!.dom0;
    assert.equal(dom0First.status, 'failed');
    assert.match(dom0First.failureLine!, /dom0-demo: FAIL: linked at 0x0*60000000 but running at 0x0*50000000/);
    assert.equal(p2!.rebuildNeeded, false);
    assert.deepEqual(
      p2!.build.verified.map((f) => path.relative(ws.buildDir, f)),
      ['zephyr/zephyr.elf', 'zephyr/.config', 'zephyr/zephyr.dts'],
      'every build is checked against the layout from its own outputs',
    );
    assert.equal(p1!.build.targets, path.join(ws.buildDir, 'base', 'zephyr.dts'));
    assert.deepEqual(p2!.built, p2!.learned);
    const serial = readFileSync(report.boots[p2!.boot]!.serialLog, 'utf8');
    assert.match(serial, /^dom0-demo: match\r?$/m);
    assert.match(serial, /^\*\*\* Booting dom0-demo \S+ \*\*\*\r?$/m);
    assert.equal(report.boots[p2!.boot]!.dom0.status, 'up');
    assert.equal(report.overlay, ws.overlay);
    assert.match(readFileSync(ws.overlay, 'utf8'), /\n\t\tsram0: memory@50000000 \{/);
    assert.equal(JSON.parse(readFileSync(`${ws.overlay}.lock.json`, 'utf8')).layout.dom0Banks[0].start, '0x50000000');
  });

  it('with the lock file in place: confirms in one boot, no rebuild, and leaves the committed files alone', async () => {
    const before = [readFileSync(ws.overlay, 'utf8'), readFileSync(`${ws.overlay}.lock.json`, 'utf8'), statSync(ws.overlay).mtimeMs];
    const buildOverlay = readFileSync(`${ws.buildDir}.overlay`, 'utf8');
    const { exitCode, report } = await boot(ws);
    assert.deepEqual(
      [readFileSync(ws.overlay, 'utf8'), readFileSync(`${ws.overlay}.lock.json`, 'utf8'), statSync(ws.overlay).mtimeMs],
      before,
    );
    assert.equal(readFileSync(`${ws.buildDir}.overlay`, 'utf8'), buildOverlay, 'the build saw the same overlay text');
    assert.equal(exitCode, 0);
    assert.equal(bootInputsOf(report)!.startLayout, 'lock file');
    assert.equal(report.passes!.length, 1);
    assert.equal(report.passes![0]!.rebuildNeeded, false);
    assert.equal(report.passes![0]!.build.reused, true, 'nothing that goes into the image changed: no build');
    assert.equal(report.boots[0]!.stopReason, 'dom0-up');
  });

  it('after --dom0-mem 1G drift: names the input that changed, learns the layout with a probe boot, builds once and confirms', async () => {
    const lockBefore = JSON.parse(readFileSync(`${ws.overlay}.lock.json`, 'utf8'));
    assert.equal(lockBefore.learnedWith.dom0Mem, '256M', 'the lock records what it was learned with');
    const drift = await boot(ws, '--dom0-mem', '1G', '--start-layout', 'probe');
    assert.equal(drift.exitCode, 0, drift.stderr);
    const start = drift.report.start!;
    assert.equal(start.from, 'probe boot');
    assert.deepEqual(start.lockChanges, [
      { input: 'dom0Mem', lock: '256M', now: '1G' },
      {
        input: 'xenBootargs',
        lock: lockBefore.learnedWith.xenBootargs,
        now: lockBefore.learnedWith.xenBootargs.replace('dom0_mem=256M', 'dom0_mem=1G'),
      },
    ]);
    assert.match(start.reason, /dom0_mem 256M -> 1G/);
    // The stand-in takes the size of the last build's image; its boot stopped at the hand-over.
    assert.equal(start.probe!.sizeFrom, 'last build');
    assert.equal(start.probe!.imageSize, statSync(path.join(ws.buildDir, 'zephyr', 'zephyr.bin')).size);
    assert.equal(drift.report.boots[start.probe!.boot!]!.stopReason, 'handed-over');
    assert.equal(drift.report.passes!.length, 1, 'one build: the probe found the layout before it');
    assert.equal(drift.report.passes![0]!.boot, 1);
    assert.equal(drift.report.passes![0]!.build.reused, false, 'a new layout is a new image');
    assert.equal(drift.report.boots[1]!.dom0.status, 'up');
    assert.match(readFileSync(ws.overlay, 'utf8'), /\n\t\tsram0: memory@c0000000 \{/);
    assert.equal(JSON.parse(readFileSync(`${ws.overlay}.lock.json`, 'utf8')).learnedWith.dom0Mem, '1G');
    const again = await boot(ws, '--dom0-mem', '1G');
    assert.equal(again.report.start!.from, 'lock file');
    assert.equal(again.report.passes!.length, 1);
    assert.equal(again.report.boots.length, 1, 'the lock applies: no probe boot');
  });

  it("rewrites a committed overlay of an older format whose lock still holds, keeping the lock's layout", async () => {
    const text = readFileSync(ws.overlay, 'utf8');
    const lock = JSON.parse(readFileSync(`${ws.overlay}.lock.json`, 'utf8')).layout;
    // What this tool wrote before it knew Zephyr's snippet: our header, a root `ram` node, no /delete-node/.
    writeFileSync(ws.overlay, `${text.slice(0, text.indexOf('\n */\n') + 4)}\n/ {\n\tram: memory@c0000000 { };\n};\n`);
    const { exitCode, report } = await boot(ws, '--dom0-mem', '1G');
    assert.equal(exitCode, 0);
    assert.equal(report.passes!.length, 1);
    const now = readFileSync(ws.overlay, 'utf8');
    assert.match(now, /\/delete-node\/ &sram0;/);
    assert.doesNotMatch(now, /\tram: memory/);
    assert.deepEqual(JSON.parse(readFileSync(`${ws.overlay}.lock.json`, 'utf8')).layout, lock);
  });
});

describe('a first boot with the layout recorded for its inputs', () => {
  it('auto: another project with the same inputs builds once, from the record an earlier boot left (in XEN_DOM0_BOOT_LAYOUTS)', async () => {
    const first = await boot(workspace(), '--dom0-mem', '384M', '--start-layout', 'probe');
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await boot(workspace(), '--dom0-mem', '384M');
    assert.equal(second.exitCode, 0, second.stderr);
    const start = second.report.start!;
    assert.equal(start.from, 'recorded');
    assert.equal(path.dirname(start.recorded!.file), TEST_LAYOUTS, 'the tests keep their records apart from the project cache');
    assert.equal(start.recorded!.run, first.report.runDir);
    assert.equal(second.report.boots.length, 1, 'no probe boot');
    assert.equal(second.report.passes!.length, 1);
    assert.deepEqual(second.report.passes![0]!.changes, []);
  });
});

describe('boot failures on the demo guest', () => {
  it('stops at --max-passes with a clear not-converged error', async () => {
    const { exitCode, report } = await boot(workspace(), '--max-passes', '1', '--start-layout', 'placeholder');
    assert.equal(exitCode, 15);
    assert.equal(report.failure!.code, 'NOT_CONVERGED');
    assert.equal(report.failure!.stage, 'converge');
    assert.match(report.failure!.message, /after 1 pass\(es\) \(--max-passes\)/);
    assert.equal(report.overlay, null);
  });

  it('the demo guest names each difference when only the hypervisor node is wrong', async () => {
    const ws = workspace();
    assert.equal((await boot(ws)).exitCode, 0);
    const lockFile = `${ws.overlay}.lock.json`;
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    lock.layout.grantTable = { start: '0x88080000', end: '0x880c0000' };
    writeFileSync(lockFile, JSON.stringify(lock, null, 2));
    const { report } = await boot(ws, '--observe-dom0', '--max-passes', '1');
    const dom0 = report.boots[0]!.dom0;
    assert.equal(dom0.status, 'failed');
    assert.ok(
      dom0.lines.some((l) => /DIFF hypervisor reg\[0\]: built 0x88080000\+0x40000, Xen 0x40200000\+0x40000/.test(l)),
      dom0.lines.join('\n'),
    );
    assert.match(dom0.failureLine!, /FAIL: 1 difference/);
  });

  it('check builds with the committed overlay: a hand edit or a missing overlay is OVERLAY_MISMATCH; check --fix repairs both', async () => {
    const ws = workspace();
    assert.equal((await boot(ws)).exitCode, 0);
    const committed = readFileSync(ws.overlay, 'utf8');
    const check = (...args: string[]) =>
      runCli(['check', '--overlay', ws.overlay, '--build-dir', ws.buildDir, '--out', path.join(tempDir('check-run'), 'run'), ...args]);
    writeFileSync(ws.overlay, committed.replace('<GIC_PPI 0 IRQ_TYPE_EDGE', '<GIC_PPI 2 IRQ_TYPE_EDGE'));
    let run = await check();
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(
      run.stderr,
      /check: the overlay .*app\.overlay disagrees with its lock .*: eventChannelPpi \(lock: 16\);.*\[OVERLAY_MISMATCH\]$/m,
    );
    run = await check('--fix');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(readFileSync(ws.overlay, 'utf8'), /<GIC_PPI 0 IRQ_TYPE_EDGE/);
    assert.equal((await check()).exitCode, 0);
    rmSync(ws.overlay);
    run = await check();
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /check: the lock .* has no overlay beside it .*\[OVERLAY_MISMATCH\]$/m);
    assert.equal((await check('--fix')).exitCode, 0);
    assert.equal((await check()).exitCode, 0);
  });

  it('never overwrites an overlay it did not write', async () => {
    const ws = workspace();
    writeFileSync(ws.overlay, '/ { mine {}; };\n');
    const run = await runCli(['boot', '--overlay', ws.overlay, '--build-dir', ws.buildDir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /app\.overlay: exists and was not generated by xen-dom0-boot/);
    assert.equal(readFileSync(ws.overlay, 'utf8'), '/ { mine {}; };\n');
  });

  it('never writes over your files beside the build folder: <build-dir>.conf and <build-dir>.overlay', async () => {
    for (const [suffix, text] of [
      ['.conf', 'CONFIG_MY_PRECIOUS=y\n'],
      ['.overlay', '/* my own app overlay */\n/ { };\n'],
    ] as const) {
      const ws = workspace();
      writeFileSync(`${ws.buildDir}${suffix}`, text);
      const run = await runCli(['boot', '--overlay', ws.overlay, '--build-dir', ws.buildDir]);
      assert.equal(run.exitCode, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`build\\${suffix}: exists and was not generated by xen-dom0-boot`));
      assert.equal(readFileSync(`${ws.buildDir}${suffix}`, 'utf8'), text);
      assert.equal(existsSync(ws.buildDir), false, 'refused before any build');
    }
  });

  it('refuses an overlay that is a folder, is the build copy, or lies in a folder --pristine would empty', async () => {
    const ws = workspace();
    mkdirSync(ws.overlay);
    let run = await runCli(['boot', '--overlay', ws.overlay, '--build-dir', ws.buildDir]);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /app\.overlay: exists but is not a file the tool can read .*OUTPUT_NOT_OURS/s);
    run = await runCli(['boot', '--overlay', `${ws.buildDir}.overlay`, '--build-dir', ws.buildDir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /is the build's own copy beside --build-dir/);
    const kept = path.join(ws.buildDir, 'app.overlay');
    mkdirSync(ws.buildDir);
    writeFileSync(path.join(ws.buildDir, 'main.c'), 'int main(void) { return 0; }\n');
    run = await runCli(['boot', '--pristine', '--overlay', kept, '--build-dir', ws.buildDir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--pristine would empty --build-dir .* which holds the overlay/);
    assert.deepEqual(readdirSync(ws.buildDir), ['main.c']);
  });

  it('--pristine on the demo removes only what its build made', async () => {
    const ws = workspace();
    assert.equal((await boot(ws)).exitCode, 0);
    writeFileSync(path.join(ws.buildDir, 'notes.txt'), 'mine\n');
    const { exitCode, report } = await boot(ws, '--pristine');
    assert.equal(exitCode, 0);
    assert.equal(report.passes![0]!.build.reused, false);
    assert.equal(readFileSync(path.join(ws.buildDir, 'notes.txt'), 'utf8'), 'mine\n');
  });

  it('one run at a time in a build folder, whatever the overlay', async () => {
    const ws = workspace();
    mkdirSync(`${ws.buildDir}.run-lock`, { recursive: true });
    writeFileSync(path.join(`${ws.buildDir}.run-lock`, 'pid'), `${process.pid}\n`);
    const run = await runCli(['boot', '--overlay', path.join(ws.dir, 'other.overlay'), '--build-dir', ws.buildDir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /the build folder .* is in use by another xen-dom0-boot run \(pid \d+/);
  });

  it('names a failed build with its log tail', async () => {
    const ws = workspace();
    const out = path.join(tempDir('boot-run'), 'run');
    const run = await runCli([
      'boot',
      '--overlay',
      ws.overlay,
      '--build-dir',
      ws.buildDir,
      '--out',
      out,
      '--config',
      writeConfig({
        build: { type: 'command', argv: ['sh', '-c', 'echo "fatal: no toolchain" >&2; exit 3'], image: '{outDir}/zephyr.bin' },
      }),
    ]);
    assert.equal(run.exitCode, 4, run.stderr);
    const report = readReport(out);
    assert.equal(report.failure!.code, 'BUILD_FAILED');
    assert.ok((report.failure!.details.logTail as string[]).includes('fatal: no toolchain'));
  });

  it('warns when a command build leaves nothing to check its image against', async () => {
    const ws = workspace();
    const out = path.join(tempDir('boot-run'), 'run');
    const image = path.join(ROOT, '.cache', 'test-image', 'test-image.bin');
    const config = writeConfig({ build: { type: 'command', argv: ['cp', image, '{outDir}/dom0.bin'], image: '{outDir}/dom0.bin' } });
    const run = await runCli([
      'boot',
      '--overlay',
      ws.overlay,
      '--build-dir',
      ws.buildDir,
      '--out',
      out,
      '--max-passes',
      '1',
      '--config',
      config,
    ]);
    const report = readReport(out);
    assert.deepEqual(report.passes![0]!.build.verified, []);
    assert.equal(report.passes![0]!.build.targets, 'default');
    assert.deepEqual(
      report.warnings!.filter((w) => w.startsWith('no build output to check')),
      [
        `no build output to check ${path.join(ws.buildDir, 'dom0.bin')} against (zephyr.elf, .config or zephyr.dts beside it): a stale build would show only as a silent Dom0`,
      ],
    );
    assert.match(run.stdout, /^Warning: no build output to check /m);
  });
});

function writeConfig(config: object): string {
  const file = path.join(tempDir('cfg'), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
