/** versions.json: version probes that never fail a run, never outlive it, and never run in the user's folder. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_XEN } from '../../src/base/paths.js';
import type { ReportJson } from '../../src/report/report.js';
import { firstLine, PROBE_MS, probeVersions, versionMemo, versionsOf, writeVersions } from '../../src/report/versions.js';
import { stopAllChildren } from '../../src/util/children.js';
import { which } from '../../src/util/which.js';
import { tempDir } from '../helpers/tmp.js';

const qemu = which('qemu-system-aarch64')!;

/** A fake tool in a fresh folder; its memo entry (if any) is removed after the test. */
function fakeTool(script: string): { tool: string; cleanup: () => Promise<void> } {
  const tool = path.join(tempDir('probe'), 'fake-tool');
  writeFileSync(tool, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return {
    tool,
    cleanup: async () => {
      const memo = await versionMemo(tool, ['--version']);
      if (memo) rmSync(memo, { force: true });
    },
  };
}

describe('version probes', () => {
  it('probe QEMU, Xen (Debian package, sha256), the compiler and dtc', async () => {
    const probed = await probeVersions(qemu, DEFAULT_XEN);
    assert.match(probed.qemu!, /^QEMU emulator version \d+\.\d+/);
    assert.equal(probed.xenSha, createHash('sha256').update(readFileSync(DEFAULT_XEN)).digest('hex'));
    assert.equal(probed.xenPackage, readFileSync(path.join(path.dirname(DEFAULT_XEN), 'VERSION'), 'utf8').trim());
    assert.match(probed.crossCompiler!, /aarch64-linux-gnu-gcc/);
    assert.match(probed.dtc!, /DTC \d/);
  });

  it('never reject: missing binaries, and a tool that fails, are null', async () => {
    const failing = fakeTool('echo broken >&2; exit 3');
    try {
      const missing = await probeVersions('/nonexistent/qemu-system-aarch64', '/nonexistent/xen');
      assert.deepEqual([missing.qemu, missing.xenSha, missing.xenPackage], [null, null, null]);
      assert.equal((await probeVersions(failing.tool, undefined)).qemu, null);
    } finally {
      await failing.cleanup();
    }
  });

  it("run in the temporary folder, never in the user's", async () => {
    const { tool } = fakeTool('pwd');
    assert.deepEqual(await firstLine(tool, ['--version']), { line: realpathSync(tmpdir()), finished: true });
  });

  it('end at the deadline even when a descendant that left the group holds the output', async () => {
    const pidFile = path.join(tempDir('probe'), 'escaped.pid');
    const { tool } = fakeTool(`setsid sleep 30 & echo $! > '${pidFile}'; wait`);
    const t0 = performance.now();
    try {
      const result = await firstLine(tool, ['--version']);
      assert.deepEqual(result, { line: null, finished: false });
      assert.ok(performance.now() - t0 < PROBE_MS + 1500, `took ${Math.round(performance.now() - t0)} ms`);
    } finally {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('are stopped with the run (Ctrl-C), and a stopped probe is not remembered', async () => {
    const slow = fakeTool('sleep 30');
    try {
      const probe = probeVersions(slow.tool, undefined);
      await sleep(100);
      const t0 = performance.now();
      await stopAllChildren();
      assert.equal((await probe).qemu, null);
      assert.ok(performance.now() - t0 < PROBE_MS / 2, 'stopped, not timed out');
      assert.equal(existsSync((await versionMemo(slow.tool, ['--version']))!), false, 'no memo for a stopped probe');
    } finally {
      await slow.cleanup();
    }
  });

  it('remember a finished probe', async () => {
    const fast = fakeTool('echo "fake 1.0"');
    try {
      assert.equal((await probeVersions(fast.tool, undefined)).qemu, 'fake 1.0');
      assert.equal(readFileSync((await versionMemo(fast.tool, ['--version']))!, 'utf8'), 'fake 1.0');
    } finally {
      await fast.cleanup();
    }
  });

  it('write the learned Xen version with the probes into the run folder', async () => {
    const runDir = tempDir('versions');
    const report = {
      runDir,
      inputs: { qemu, qemuSource: 'path', xen: DEFAULT_XEN },
      layout: { xenVersion: '4.17.7' },
    } as unknown as ReportJson;
    await writeVersions(report);
    const versions = JSON.parse(readFileSync(path.join(runDir, 'versions.json'), 'utf8'));
    assert.equal(versions.xen.version, '4.17.7');
    assert.equal(versions.xen.path, DEFAULT_XEN);
    assert.equal(versions.node, process.version);
    assert.equal(versions.qemu.path, qemu);
    assert.equal(versions.qemu.source, 'path');
    assert.match(versions.qemu.version, /^QEMU emulator version/);
  });
});

describe('versions.json of a drift', () => {
  it('names every Xen of the matrix with its Debian package and sha256 (setup fetched 4.17 and 4.20)', async () => {
    const report = {
      command: 'drift',
      layout: null,
      inputs: {
        image: '/i',
        qemu: '/q',
        qemuSource: 'path',
        jobs: 2,
        matrix: { xen: ['4.17', '4.20'], memory: ['6G'], dom0Mem: ['256M'], xenArgs: [''] },
        shard: null,
      },
    } as unknown as ReportJson;
    const none = { qemu: null, crossCompiler: null, dtc: null, xenPackage: null, xenSha: null };
    const versions = await versionsOf(report, Promise.resolve(none));
    assert.deepEqual(
      versions.xens?.map((x) => x.label),
      ['4.17', '4.20'],
    );
    for (const xen of versions.xens!) {
      assert.equal(xen.sha256, createHash('sha256').update(readFileSync(xen.path)).digest('hex'));
      assert.equal(xen.debianPackage, readFileSync(path.join(path.dirname(xen.path), 'VERSION'), 'utf8').trim());
    }
    assert.equal(versions.xen.path, versions.xens![0]!.path);
  });
});
