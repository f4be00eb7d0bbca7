/** requireTool: a host tool's path from PATH, or TOOL_MISSING naming the Debian package. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import type { ToolError } from '../../src/base/errors.js';
import { requireTool } from '../../src/util/require-tool.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('require-tool');
const first = path.join(dir, 'first');
const second = path.join(dir, 'second');
mkdirSync(first);
mkdirSync(second);
writeFileSync(path.join(first, 'xdb-tool'), '#!/bin/sh\n', { mode: 0o755 });
writeFileSync(path.join(second, 'xdb-tool'), '#!/bin/sh\n', { mode: 0o755 });
writeFileSync(path.join(first, 'xdb-noexec'), 'data', { mode: 0o644 });
mkdirSync(path.join(first, 'xdb-folder'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('requireTool', () => {
  const saved = process.env.PATH;
  beforeEach(() => {
    process.env.PATH = `${first}${path.delimiter}${path.delimiter}${second}`;
  });
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('returns the first executable of that name on PATH', () => {
    assert.equal(requireTool('xdb-tool', 'xdb-pkg'), path.join(first, 'xdb-tool'));
  });

  it('throws TOOL_MISSING naming the tool and its Debian package when it is not on PATH', () => {
    assert.throws(
      () => requireTool('dtc-missing', 'device-tree-compiler'),
      (error: ToolError) => {
        assert.deepEqual([error.code, error.stage], ['TOOL_MISSING', 'tools']);
        assert.equal(error.message, "dtc-missing not found on PATH: install Debian's device-tree-compiler (npm run setup does)");
        assert.equal(error.exitCode, 3);
        return true;
      },
    );
  });

  it('does not count a file that is not executable, or a folder', () => {
    assert.throws(() => requireTool('xdb-noexec', 'p'), /xdb-noexec not found on PATH/);
    assert.throws(() => requireTool('xdb-folder', 'p'), /xdb-folder not found on PATH/);
  });

  it('takes a path with a slash as it is, resolved', () => {
    assert.equal(requireTool(path.join(second, 'xdb-tool'), 'p'), path.join(second, 'xdb-tool'));
    assert.throws(() => requireTool(path.join(second, 'nope'), 'p'), { code: 'TOOL_MISSING' });
  });
});
