/** runTool: a short host tool run with an argv; its stdout, or a ToolError with the tool's own words. */
import assert from 'node:assert/strict';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ToolError } from '../../src/base/errors.js';
import { runTool, type RunToolOptions } from '../../src/util/run-tool.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('run-tool');
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: RunToolOptions = { stage: 'dtb', code: 'DTB_FAILED', purpose: "dump QEMU's device tree" };

/** Asserts `promise` rejects with a ToolError and returns it. */
async function failure(promise: Promise<unknown>): Promise<ToolError> {
  let caught: ToolError | null = null;
  await assert.rejects(promise, (error: ToolError) => {
    caught = error;
    return true;
  });
  return caught!;
}

describe('runTool', () => {
  it('returns stdout without its one final newline', async () => {
    assert.equal(await runTool('sh', ['-c', 'printf "a\\nb\\n"'], OPTIONS), 'a\nb');
    assert.equal(await runTool('sh', ['-c', 'printf "x\\n\\n"'], OPTIONS), 'x\n');
    assert.equal(await runTool('sh', ['-c', 'printf "crlf\\r\\n"'], OPTIONS), 'crlf');
    assert.equal(await runTool('sh', ['-c', 'true'], OPTIONS), '');
  });

  it('passes the argv as it is (no shell) and runs in cwd', async () => {
    assert.equal(await runTool('printf', ['%s|', 'a b', '$HOME', '"q"'], OPTIONS), 'a b|$HOME|"q"|');
    assert.equal(await runTool('pwd', [], { ...OPTIONS, cwd: dir }), realpathSync(dir));
  });

  it('fails with the given code and stage, quoting the last 5 stderr lines and keeping the command', async () => {
    const script = 'for i in 1 2 3 4 5 6 7; do echo "line $i" >&2; done; echo out; exit 3';
    const error = await failure(runTool('sh', ['-c', script], OPTIONS));
    assert.deepEqual([error.code, error.stage], ['DTB_FAILED', 'dtb']);
    assert.equal(error.message, "cannot dump QEMU's device tree: sh failed: line 3 | line 4 | line 5 | line 6 | line 7");
    assert.deepEqual(error.details, { command: ['sh', '-c', script] });
  });

  it('quotes stdout when stderr is empty, and the exit code or signal when both are', async () => {
    const fromStdout = await failure(runTool('sh', ['-c', 'echo "Error: bad dtb"; exit 1'], OPTIONS));
    assert.match(fromStdout.message, /sh failed: Error: bad dtb$/);
    const silent = await failure(runTool('sh', ['-c', 'exit 3'], OPTIONS));
    assert.match(silent.message, /sh failed: exited with 3$/);
    const killed = await failure(runTool('sh', ['-c', 'kill -9 $$'], OPTIONS));
    assert.match(killed.message, /sh failed: exited with SIGKILL$/);
  });

  it('stops a tool past its deadline, and none of it is left running', async () => {
    const t0 = performance.now();
    const error = await failure(runTool('sh', ['-c', 'exec sleep 7.25'], { ...OPTIONS, timeoutMs: 150 }));
    assert.equal(error.message, "cannot dump QEMU's device tree: sh failed: timed out after 150 ms");
    assert.ok(performance.now() - t0 < 3000, 'stopped, not waited for');
    assert.deepEqual(processesMentioning('sleep 7.25'), []);
  });

  it('says TOOL_MISSING, naming what needed it, for a tool that is not there', async () => {
    const error = await failure(runTool('xdb-no-such-tool', ['--version'], OPTIONS));
    assert.deepEqual([error.code, error.stage], ['TOOL_MISSING', 'tools']);
    assert.equal(error.message, "xdb-no-such-tool not found: dump QEMU's device tree needs it (npm run setup installs it)");
  });

  it('says it cannot run a file that is not executable', async () => {
    const file = path.join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const error = await failure(runTool(file, [], OPTIONS));
    assert.equal(error.code, 'DTB_FAILED');
    assert.equal(error.message, `cannot dump QEMU's device tree: ${file} failed: cannot run it (EACCES)`);
  });
});
