/** write-error: a failed write named as one clear error (file, why, what was expected); links and devices refused up front. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { assertPlainTarget, isWriteErrno, writeFailure } from '../../src/util/write-error.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('write-error');
after(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string, extra: Partial<NodeJS.ErrnoException> = {}): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: x`), { code, ...extra });

/** The error a real write of `file` gets. */
async function realWriteError(file: string): Promise<unknown> {
  try {
    await writeFile(file, 'x');
  } catch (error) {
    return error;
  }
  assert.fail(`writing ${file} should have failed`);
}

describe('isWriteErrno', () => {
  it('knows the file-system errnos, and a quota by its number alone (Node 20 has no name for -122)', () => {
    for (const code of ['EROFS', 'ENOSPC', 'EACCES', 'EISDIR', 'ENOTDIR', 'ENOENT', 'ELOOP', 'EXDEV'])
      assert.equal(isWriteErrno(errno(code)), true, code);
    assert.equal(isWriteErrno({ errno: -122 }), true);
  });

  it('is false for other errors and non-errors', () => {
    assert.equal(isWriteErrno(errno('EBADF')), false);
    assert.equal(isWriteErrno(new TypeError('bug')), false);
    assert.equal(isWriteErrno(null), false);
    assert.equal(isWriteErrno('EROFS'), false);
  });
});

describe('writeFailure', () => {
  it('names the option, the file, the reason and what was expected, keeping the cause', () => {
    const cause = errno('EROFS');
    const failure = writeFailure(cause, '/out/junit.xml', { what: '--junit' });
    assert.deepEqual([failure.code, failure.stage], ['OUTPUT_WRITE_FAILED', 'report']);
    assert.equal(failure.message, '--junit /out/junit.xml: cannot write: read-only file system (EROFS); expected a writable folder');
    assert.equal(failure.cause, cause);
    assert.equal(failure.exitCode, 2);
  });

  it('takes the stage it is given and leaves out a missing label', () => {
    const failure = writeFailure(errno('ENOSPC'), '/out/app.overlay', { stage: 'overlay' });
    assert.equal(failure.stage, 'overlay');
    assert.equal(
      failure.message,
      '/out/app.overlay: cannot write: no space left on the device (ENOSPC); expected free space on its file system',
    );
  });

  it('names a quota by its errno number', () => {
    const failure = writeFailure({ errno: -122, message: 'quota' }, '/q/f');
    assert.match(failure.message, /disk quota exceeded \(EDQUOT\)/);
  });

  it('explains real errors from the file system: a file in the path, a folder in the way, a missing folder', async () => {
    const file = path.join(dir, 'plain');
    writeFileSync(file, 'x');
    const under = writeFailure(await realWriteError(path.join(file, 'child')), path.join(file, 'child'));
    assert.match(
      under.message,
      /cannot write: a part of its path is a file, not a folder \(ENOTDIR\); expected a path whose every part above it is a folder$/,
    );
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    assert.match(
      writeFailure(await realWriteError(folder), folder).message,
      /it is a folder \(EISDIR\); expected a file name, not a folder$/,
    );
    const missing = path.join(dir, 'no', 'such', 'f');
    assert.match(
      writeFailure(await realWriteError(missing), missing).message,
      /its folder does not exist \(ENOENT\); expected an existing folder$/,
    );
  });

  it('returns a ToolError as it is, and makes anything else (a bug) INTERNAL, never OUTPUT_WRITE_FAILED', () => {
    const tool = new ToolError('BUILD_FAILED', 'build', 'west failed');
    assert.equal(writeFailure(tool, '/x'), tool);
    const bug = writeFailure(new TypeError('x is not a function'), '/x', { stage: 'overlay' });
    assert.deepEqual([bug.code, bug.stage], ['INTERNAL', 'overlay']);
    assert.match(bug.message, /x is not a function/);
    assert.equal(writeFailure(errno('EBADF'), '/x').code, 'INTERNAL');
  });
});

describe('assertPlainTarget', () => {
  it('accepts an absent file, a regular file and a folder (the write names a folder itself)', async () => {
    const file = path.join(dir, 'target-file');
    writeFileSync(file, 'x');
    const folder = path.join(dir, 'target-folder');
    mkdirSync(folder);
    await assertPlainTarget(path.join(dir, 'absent'), '--junit');
    await assertPlainTarget(file, '--junit');
    await assertPlainTarget(folder, '--junit');
  });

  it('refuses a symbolic link, even one to a regular file', async () => {
    const real = path.join(dir, 'real');
    writeFileSync(real, 'x');
    const link = path.join(dir, 'link');
    symlinkSync(real, link);
    await assert.rejects(assertPlainTarget(link, '--junit'), (error: ToolError) => {
      assert.deepEqual([error.code, error.stage], ['OUTPUT_WRITE_FAILED', 'report']);
      assert.equal(
        error.message,
        `--junit ${link}: cannot write: it is a symbolic link, which the tool would replace; expected a regular file path`,
      );
      return true;
    });
  });

  it('refuses a device such as /dev/null', async () => {
    await assert.rejects(assertPlainTarget('/dev/null', '--report'), /--report \/dev\/null: cannot write: it is a device or special file/);
  });

  it('turns an lstat failure other than ENOENT into a named write failure', async () => {
    const file = path.join(dir, 'lstat-file');
    writeFileSync(file, 'x');
    const target = path.join(file, 'child');
    await assert.rejects(assertPlainTarget(target, '--junit'), (error: ToolError) => {
      assert.equal(error.code, 'OUTPUT_WRITE_FAILED');
      assert.match(error.message, /^--junit .*lstat-file\/child: cannot write: a part of its path is a file, not a folder \(ENOTDIR\)/);
      return true;
    });
  });
});
