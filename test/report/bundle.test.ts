/** versions.json and reproduce.sh: what a person needs to redo a run by hand. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_XEN } from '../../src/paths.js';
import { probeVersions, reproduceScript, writeVersions } from '../../src/report/bundle.js';
import type { ReportJson } from '../../src/report/report.js';
import { which } from '../../src/util/which.js';
import { tempDir } from '../helpers/tmp.js';

const qemu = which('qemu-system-aarch64')!;

describe('versions.json', () => {
  it('probes QEMU, Xen (Debian package, sha256), the compiler and dtc once per inputs', async () => {
    const first = probeVersions(qemu, DEFAULT_XEN);
    assert.equal(probeVersions(qemu, DEFAULT_XEN), first, 'a second ask shares the first probe');
    const probed = await first;
    assert.match(probed.qemu!, /^QEMU emulator version \d+\.\d+/);
    assert.equal(probed.xenSha, createHash('sha256').update(readFileSync(DEFAULT_XEN)).digest('hex'));
    assert.equal(probed.xenPackage, readFileSync(path.join(path.dirname(DEFAULT_XEN), 'VERSION'), 'utf8').trim());
    assert.match(probed.crossCompiler!, /aarch64-linux-gnu-gcc/);
    assert.match(probed.dtc!, /DTC \d/);
  });

  it('never rejects: binaries that are not there are null', async () => {
    const probed = await probeVersions('/nonexistent/qemu-system-aarch64', '/nonexistent/xen');
    assert.equal(probed.qemu, null);
    assert.equal(probed.xenSha, null);
    assert.equal(probed.xenPackage, null);
  });

  it("runs probes in the temporary folder, never in the user's", async () => {
    const dir = tempDir('probe-cwd');
    const tool = path.join(dir, 'fake-qemu');
    writeFileSync(tool, '#!/bin/sh\npwd\n', { mode: 0o755 });
    const probed = await probeVersions(tool, undefined);
    assert.equal(probed.qemu, realpathSync(tmpdir()));
  });

  it('writes the learned Xen version with the probes into the run folder', async () => {
    const runDir = tempDir('versions');
    const report = {
      command: 'learn',
      startedAt: '2026-11-24T10:00:00.000Z',
      runDir,
      inputs: { qemu, xen: DEFAULT_XEN },
      layout: { xenVersion: '4.17.7' },
      boots: [{}],
    } as unknown as ReportJson;
    await writeVersions(report);
    const versions = JSON.parse(readFileSync(path.join(runDir, 'versions.json'), 'utf8'));
    assert.equal(versions.xen.version, '4.17.7');
    assert.equal(versions.xen.path, DEFAULT_XEN);
    assert.equal(versions.node, process.version);
    assert.match(versions.qemu, /^QEMU emulator version/);
    assert.match(reproduceScript(report), new RegExp(`sh '?${runDir}/qemu-cmd\\.sh`));
  });
});
