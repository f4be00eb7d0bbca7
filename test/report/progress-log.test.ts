/** --verbose: pino-pretty lines for a person (through the progress view), JSON lines otherwise; tool.log always JSON. */
/* eslint-disable no-control-regex -- the coloured line is looked at for its SGR codes */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Progress } from '../../src/report/progress.js';
import { runCommand } from '../../src/run/run.js';
import { createLogger, prettyLog } from '../../src/util/log.js';
import { tempDir } from '../helpers/tmp.js';

/** A progress that records what it was asked to print for a person. */
function humanProgress(colour: boolean): { progress: Progress; printed: string[] } {
  const printed: string[] = [];
  const progress: Progress = {
    start() {},
    done() {},
    fail() {},
    serial() {},
    close() {},
    human: { colour, write: (text) => void printed.push(text) },
  };
  return { progress, printed };
}

/** What the tool writes on stderr while `work` runs. */
async function stderrOf(work: () => Promise<void>): Promise<string> {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((text += String(chunk)), true)) as typeof process.stderr.write;
  try {
    await work();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('the --verbose log', () => {
  it('pino-pretty formats one entry as one line: time, level, message, fields; colour only when asked', async () => {
    const plain = await prettyLog(false);
    const line = plain(
      JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1, 12), pid: 7, msg: 'step ok', step: 'pass 1 build', ms: 271 }),
    );
    assert.match(line, /^\[\d\d:\d\d:\d\d\.000\] INFO: step ok \{"step":"pass 1 build","ms":271\}\n$/);
    assert.doesNotMatch(line, /pid|\u001b/);
    const coloured = (await prettyLog(true))(JSON.stringify({ level: 50, time: 0, msg: 'boom' }));
    assert.match(coloured, /\u001b\[31mERROR\u001b\[39m/);
  });

  it('a run for a person: pretty lines through the progress view, in order; tool.log stays JSON', async () => {
    const out = path.join(tempDir('verbose'), 'run');
    const { progress, printed } = humanProgress(false);
    const stderr = await stderrOf(async () => {
      await runCommand({ command: 'learn', out, verbose: true, progress }, async (run) => {
        await run.openFolder(out, 'info');
        await run.step('boot', 'xen-boot', async () => 1);
        run.log.warn({ qemu: '/q' }, 'a warning');
      });
    });
    assert.equal(stderr, '', 'nothing written past the progress view');
    const messages = printed.map((text) => /^\[[\d:.]+\] (\w+): ([^{]+?)(?: \{|$)/m.exec(text)?.slice(1, 3).join(' '));
    // The boot step, the warning, the end (the outputs step ended before tool.log was opened).
    assert.deepEqual(messages, ['INFO step ok', 'WARN a warning', 'INFO learn: done']);
    assert.ok(printed.every((text) => text.endsWith('\n') && !text.startsWith('{')));
    const log = readFileSync(path.join(out, 'tool.log'), 'utf8').trim().split('\n');
    assert.deepEqual(
      log.map((line) => (JSON.parse(line) as { msg: string }).msg),
      ['step ok', 'a warning', 'learn: done'],
    );
  });

  it('a run in a pipe or CI (no person): JSON lines on stderr, as machines read them', async () => {
    const out = path.join(tempDir('verbose-json'), 'run');
    const stderr = await stderrOf(async () => {
      await runCommand({ command: 'learn', out, verbose: true }, async (run) => {
        await run.openFolder(out, 'info');
        run.log.info({ n: 1 }, 'hello');
      });
    });
    const lines = stderr.trim().split('\n');
    assert.ok(lines.length >= 2);
    for (const line of lines) assert.equal(typeof (JSON.parse(line) as { level: number }).level, 'number');
    assert.ok(lines.some((line) => (JSON.parse(line) as { msg: string }).msg === 'hello'));
  });

  it('without --verbose: nothing for a person, even in a terminal', async () => {
    const { progress, printed } = humanProgress(true);
    const out = path.join(tempDir('quiet'), 'run');
    await runCommand({ command: 'learn', out, progress }, async (run) => {
      await run.openFolder(out, 'info');
      run.log.info('hello');
    });
    assert.equal(printed.length, 0);
    const logger = createLogger({
      level: 'info',
      verbose: true,
      human: { pretty: (line) => `P ${line}`, write: (t) => void printed.push(t) },
    });
    logger.info('direct');
    assert.equal(printed.length, 1);
    assert.match(printed[0]!, /^P \{"level":30,/);
  });
});
