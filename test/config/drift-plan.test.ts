/** drift's matrix: options, else the config's drift section, else the single values; each item checked. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftPlan } from '../../src/config/drift-plan.js';
import { mergeConfig } from '../../src/config/load.js';

describe('driftPlan', () => {
  it('takes comma-separated options as the matrix, items trimmed', () => {
    const plan = driftPlan(
      { xen: '4.17, 4.20', memory: '6G,2G', dom0Mem: '256M', xenArgs: ['', 'console_timestamps=boot'], jobs: '3' },
      mergeConfig(),
    );
    assert.deepEqual(plan.matrix, {
      xen: ['4.17', '4.20'],
      memory: ['6G', '2G'],
      dom0Mem: ['256M'],
      xenArgs: ['', 'console_timestamps=boot'],
    });
    assert.equal(plan.jobs, 3);
  });

  it("falls back to the config's drift section, then its single values", () => {
    const fromSection = driftPlan({}, mergeConfig({ drift: { memory: ['4G'], jobs: 2 } }));
    assert.deepEqual(fromSection.matrix.memory, ['4G']);
    assert.equal(fromSection.jobs, 2);
    const single = driftPlan({}, mergeConfig({ memory: '3G', dom0Mem: '512M' }));
    assert.deepEqual(single.matrix, { xen: ['4.17'], memory: ['3G'], dom0Mem: ['512M'], xenArgs: [''] });
    assert.equal(single.jobs, undefined);
  });

  it('names the option and the value that is wrong', () => {
    assert.throws(() => driftPlan({ memory: '6G,,2G' }, mergeConfig()), /--memory: expected a comma-separated list with no empty items/);
    assert.throws(() => driftPlan({ memory: '6G,7Q' }, mergeConfig()), /7Q/);
    for (const jobs of ['0', '65', '1.5', 'two']) {
      assert.throws(() => driftPlan({ jobs }, mergeConfig()), /--jobs: expected a whole number of boots at once, 1 to 64/);
    }
  });
});
