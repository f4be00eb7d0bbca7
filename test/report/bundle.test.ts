/** reproduce.sh: every build and boot of a run, runnable by hand. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { packBundle, reproduceScript } from '../../src/report/bundle.js';
import { tempDir } from '../helpers/tmp.js';
import { withTmpfs } from '../helpers/tmpfs.js';
import type { ReportJson } from '../../src/report/report.js';

describe('reproduce.sh', () => {
  it('for learn: goes to the run folder and runs its qemu-cmd.sh', () => {
    const report = {
      command: 'learn',
      startedAt: '2026-11-24T10:00:00.000Z',
      runDir: '/runs/learn 1',
      boots: [{}],
    } as unknown as ReportJson;
    const script = reproduceScript(report);
    assert.match(script, /^#!\/bin\/sh\n/);
    assert.match(script, /\ncd '\/runs\/learn 1'\n/);
    assert.match(script, /\nsh '\/runs\/learn 1\/qemu-cmd\.sh'\n$/);
  });

  it('for boot: each pass builds with its overlay, then boots its own qemu-cmd.sh', () => {
    const report = {
      command: 'boot',
      startedAt: '2026-11-24T10:00:00.000Z',
      runDir: '/r',
      inputs: { buildOverlay: '/b.overlay' },
      boots: [{}, {}],
      passes: [1, 2].map((pass) => ({
        pass,
        dir: `/r/pass-${pass}`,
        overlay: `/r/pass-${pass}/xen-dom0.overlay`,
        build: { commands: [['make', `P=${pass}`]] },
      })),
    } as unknown as ReportJson;
    const lines = reproduceScript(report).split('\n');
    const at = (text: string): number => lines.indexOf(text);
    assert.ok(at('cp /r/pass-1/xen-dom0.overlay /b.overlay') < at('make P=1'));
    assert.ok(at('make P=1') < at('sh /r/pass-1/qemu-cmd.sh'));
    assert.ok(at('sh /r/pass-1/qemu-cmd.sh') < at('cp /r/pass-2/xen-dom0.overlay /b.overlay'));
    assert.ok(at('make P=2') < at('sh /r/pass-2/qemu-cmd.sh'));
  });
});

describe('--bundle', () => {
  it('packs the run folder into a tar.gz and leaves no temporary file', async () => {
    const dir = tempDir('bundle');
    mkdirSync(path.join(dir, 'run'));
    writeFileSync(path.join(dir, 'run', 'report.json'), '{}');
    await packBundle(path.join(dir, 'run'), path.join(dir, 'run.tar.gz'));
    const listed = await execa('tar', ['-tzf', path.join(dir, 'run.tar.gz')]);
    assert.deepEqual(listed.stdout.split('\n').sort(), ['run/', 'run/report.json']);
    assert.deepEqual(readdirSync(dir).sort(), ['run', 'run.tar.gz']);
  });

  it('names the file when tar fails, and leaves nothing behind', async () => {
    const dir = tempDir('bundle');
    await assert.rejects(packBundle(path.join(dir, 'no-such-run'), path.join(dir, 'run.tar.gz')), {
      code: 'BUNDLE_FAILED',
      stage: 'report',
      message: /^--bundle .*run\.tar\.gz: tar failed: .*no-such-run/,
    });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('no tar on PATH is TOOL_MISSING, and leaves nothing behind', async () => {
    const dir = tempDir('bundle');
    mkdirSync(path.join(dir, 'run'));
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'empty-bin');
    try {
      await assert.rejects(packBundle(path.join(dir, 'run'), path.join(dir, 'run.tar.gz')), {
        code: 'TOOL_MISSING',
        message: /^--bundle .*run\.tar\.gz: tar not found on PATH/,
      });
    } finally {
      process.env.PATH = saved;
    }
    assert.deepEqual(readdirSync(dir), ['run']);
  });

  it('a disk that fills up under tar is OUTPUT_WRITE_FAILED naming the bundle, not BUNDLE_FAILED', async () => {
    const dir = tempDir('bundle');
    mkdirSync(path.join(dir, 'run'));
    // Incompressible: the tar.gz needs about as much room as the file.
    writeFileSync(path.join(dir, 'run', 'serial.log'), randomBytes(512 * 1024));
    await withTmpfs(128, async (fs) => {
      await assert.rejects(packBundle(path.join(dir, 'run'), path.join(fs, 'run.tar.gz')), {
        code: 'OUTPUT_WRITE_FAILED',
        stage: 'report',
        message: /^--bundle .*run\.tar\.gz: cannot write: no space left on the device \(ENOSPC\)/,
      });
      assert.deepEqual(readdirSync(fs), []);
    });
  });

  it('a folder in the way, or a folder that is not there, is OUTPUT_WRITE_FAILED naming the file, never INTERNAL', async () => {
    const dir = tempDir('bundle');
    mkdirSync(path.join(dir, 'run'));
    mkdirSync(path.join(dir, 'out.tar.gz'));
    await assert.rejects(packBundle(path.join(dir, 'run'), path.join(dir, 'out.tar.gz')), {
      code: 'OUTPUT_WRITE_FAILED',
      message: /^--bundle .*out\.tar\.gz: cannot write: it is a folder \(EISDIR\); expected a file name, not a folder$/,
    });
    await assert.rejects(packBundle(path.join(dir, 'run'), path.join(dir, 'none', 'out.tar.gz')), {
      code: 'OUTPUT_WRITE_FAILED',
      message: /^--bundle .*none\/out\.tar\.gz: cannot write: its folder does not exist \(ENOENT\)/,
    });
    assert.deepEqual(readdirSync(dir).sort(), ['out.tar.gz', 'run']);
  });
});
