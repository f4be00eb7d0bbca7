/** Named steps: what progress, the log, JUnit and report.json read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import type { Progress } from '../../src/report/progress.js';
import { Steps } from '../../src/run/steps.js';
import { createLogger } from '../../src/util/log.js';

function recorder(): { progress: Progress; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    progress: {
      start: (step) => seen.push(`start ${step}`),
      done: (step, detail) => seen.push(`done ${step}${detail ? ` ${detail}` : ''}`),
      fail: (step, detail) => seen.push(`fail ${step} ${detail}`),
      serial: () => undefined,
      close: () => undefined,
    },
  };
}

const silent = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Steps', () => {
  it('record each step in order with its start, duration and detail, and show it as progress', async () => {
    const { progress, seen } = recorder();
    const steps = new Steps(performance.now(), progress, () => silent);
    const value = await steps.run(
      'build',
      'build',
      async () => (await sleep(30), 42),
      (v) => ({ detail: `${v} bytes` }),
    );
    assert.equal(value, 42);
    await steps.run('boot', 'xen-boot', async () => 'ok');
    const json = steps.toJson();
    assert.deepEqual(
      json.map((s) => [s.name, s.status, s.detail]),
      [
        ['build', 'ok', '42 bytes'],
        ['boot', 'ok', null],
      ],
    );
    assert.ok(json[0]!.ms >= 25, `build took ${json[0]!.ms} ms`);
    assert.ok(json[1]!.startMs >= json[0]!.startMs + json[0]!.ms - 1);
    assert.deepEqual(seen, ['start build', 'done build 42 bytes', 'start boot', 'done boot']);
  });

  it('mark a throwing step failed with the error code and rethrow it', async () => {
    const { progress, seen } = recorder();
    const steps = new Steps(performance.now(), progress, () => silent);
    const error = new ToolError('BUILD_FAILED', 'build', 'make failed');
    await assert.rejects(
      steps.run('build', 'build', async () => {
        throw error;
      }),
      (e) => e === error,
    );
    assert.deepEqual(
      steps.toJson().map((s) => [s.name, s.status, s.detail]),
      [['build', 'failed', 'BUILD_FAILED']],
    );
    assert.deepEqual(seen, ['start build', 'fail build BUILD_FAILED']);
  });

  it('let a judge fail a step whose value is a failure (a boot record), and keep setup steps off the display', async () => {
    const { progress, seen } = recorder();
    const steps = new Steps(performance.now(), progress, () => silent);
    await steps.run('config', 'config', async () => 1, undefined, false);
    await steps.run(
      'boot',
      'xen-boot',
      async () => ({ failure: 'XEN_PANIC' }),
      (r) => ({ failed: r.failure }),
    );
    assert.deepEqual(
      steps.toJson().map((s) => [s.name, s.status, s.detail]),
      [
        ['config', 'ok', null],
        ['boot', 'failed', 'XEN_PANIC'],
      ],
    );
    assert.deepEqual(seen, ['start boot', 'fail boot XEN_PANIC']);
  });

  it('know the running step and its stage, and cut running steps short (a signal)', async () => {
    const { progress } = recorder();
    const steps = new Steps(performance.now(), progress, () => silent);
    steps.begin('pass 1 build', 'build');
    steps.begin('inner', 'overlay', false);
    assert.equal(steps.currentStage(), 'overlay');
    steps.end('inner', 'ok');
    assert.equal(steps.currentStage(), 'build');
    steps.notRun('boot', 'xen-boot', '--print-qemu-cmd');
    steps.cut('interrupted', 'INTERRUPTED');
    assert.equal(steps.currentStage(), null);
    assert.deepEqual(
      steps.toJson().map((s) => [s.name, s.status, s.detail]),
      [
        ['pass 1 build', 'interrupted', 'INTERRUPTED'],
        ['inner', 'ok', null],
        ['boot', 'skipped', '--print-qemu-cmd'],
      ],
    );
  });
});
