/** Files the tool recreates in its own folders: a symbolic link at the name is replaced, its target never written. */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/util/log.js';
import { copyFresh, makeDirs, openFreshSync, writeFresh } from '../../src/util/fresh-file.js';
import { tempDir } from '../helpers/tmp.js';
import { withTmpfs } from '../helpers/tmpfs.js';

/** A folder with `name` a link to a file of "the user's" holding `mine`. */
function linked(name: string): { dir: string; file: string; target: string } {
  const dir = tempDir('fresh');
  const target = path.join(dir, 'precious.txt');
  writeFileSync(target, 'mine\n');
  const file = path.join(dir, name);
  symlinkSync(target, file);
  return { dir, file, target };
}

describe('fresh files', () => {
  it('writeFresh, copyFresh and openFreshSync replace a link at the name and leave its target alone', async () => {
    for (const write of [
      (file: string) => writeFresh(file, 'new\n'),
      async (file: string) => {
        const source = path.join(tempDir('fresh-src'), 'src');
        writeFileSync(source, 'new\n');
        await copyFresh(source, file);
      },
      async (file: string) => {
        const fd = openFreshSync(file);
        writeSync(fd, 'new\n');
        closeSync(fd);
      },
    ]) {
      const { file, target } = linked('xen.dtb');
      await write(file);
      assert.equal(readFileSync(target, 'utf8'), 'mine\n');
      assert.equal(lstatSync(file).isSymbolicLink(), false);
      assert.equal(readFileSync(file, 'utf8'), 'new\n');
    }
  });

  it('tool.log: the logger writes a new file in place of a link, never through it', () => {
    const { file, target } = linked('tool.log');
    const log = createLogger({ level: 'info', file });
    log.info('hello');
    assert.equal(readFileSync(target, 'utf8'), 'mine\n');
    assert.match(readFileSync(file, 'utf8'), /"msg":"hello"/);
  });

  it('makeDirs names the real cause: a file in the way is ENOTDIR, not EEXIST', async () => {
    const dir = tempDir('mkdirs');
    writeFileSync(path.join(dir, 'file'), '');
    await assert.rejects(makeDirs(path.join(dir, 'file', 'a', 'b')), { code: 'ENOTDIR' });
    await makeDirs(path.join(dir, 'x', 'y'));
    mkdirSync(path.join(dir, 'x', 'y', 'z'));
  });

  it('makeDirs on a read-only file system says EROFS, not ENOENT', async () => {
    await withTmpfs(16, async (dir, readOnly) => {
      await readOnly();
      await assert.rejects(makeDirs(path.join(dir, 'a', 'b')), { code: 'EROFS' });
    });
  });
});
