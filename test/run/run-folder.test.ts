/** The run folder: a reused one that holds a symbolic link is refused; failures to create it are clear errors. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { findLink, prepareRunFolder, RUN_MARKER } from '../../src/run/run-folder.js';
import { tempDir } from '../helpers/tmp.js';

describe('prepareRunFolder', () => {
  it('reuses an earlier run folder', async () => {
    const out = path.join(tempDir('run-dir'), 'run');
    assert.equal(await prepareRunFolder('learn', out), out);
    writeFileSync(path.join(out, 'serial.log'), 'old');
    assert.equal(await prepareRunFolder('boot', out), out);
    assert.equal(readFileSync(path.join(out, RUN_MARKER), 'utf8'), 'boot\n');
  });

  it('refuses a reused folder holding a symbolic link at any depth, naming it; the target is untouched', async () => {
    const dir = tempDir('run-dir-link');
    const out = path.join(dir, 'run');
    await prepareRunFolder('boot', out);
    mkdirSync(path.join(out, 'pass-2'));
    const precious = path.join(dir, 'precious');
    writeFileSync(precious, 'mine\n');
    symlinkSync(precious, path.join(out, 'pass-2', 'build.log'));
    assert.equal(await findLink(out), path.join('pass-2', 'build.log'));
    await assert.rejects(prepareRunFolder('boot', out), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'OUTPUT_NOT_OURS');
      assert.equal(error.exitCode, 2);
      assert.match(
        error.message,
        /^--out .*run: pass-2\/build\.log is a symbolic link; this tool never makes one and never writes through one/,
      );
      return true;
    });
    assert.equal(readFileSync(precious, 'utf8'), 'mine\n');
  });

  it('a link in place of the marker is refused too', async () => {
    const dir = tempDir('run-dir-marker');
    const out = path.join(dir, 'run');
    mkdirSync(out);
    writeFileSync(path.join(dir, 'precious'), 'mine\n');
    symlinkSync(path.join(dir, 'precious'), path.join(out, RUN_MARKER));
    await assert.rejects(prepareRunFolder('learn', out), { code: 'OUTPUT_NOT_OURS' });
    assert.equal(readFileSync(path.join(dir, 'precious'), 'utf8'), 'mine\n');
  });

  it('a file in the way of --out is a clear error, not INTERNAL', async () => {
    const file = path.join(tempDir('run-dir-file'), 'file');
    writeFileSync(file, '');
    await assert.rejects(prepareRunFolder('learn', file), { code: 'USAGE', message: /--out .*file: not a folder/ });
    await assert.rejects(prepareRunFolder('learn', path.join(file, 'run')), {
      code: 'OUTPUT_WRITE_FAILED',
      message: /--out .*file\/run: cannot write: a part of its path is a file, not a folder \(ENOTDIR\)/,
    });
  });
});
