/** Layouts remembered per deciding inputs: recalled for the same inputs only, never a failure to write. */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { recallLayout, recordFile, rememberLayout } from '../../src/pipeline/layout-records.js';
import { emptyLayout } from '../../src/xen/layout.js';
import { learnedWith } from '../helpers/learned-with.js';
import { tempDir } from '../helpers/tmp.js';

describe('layout records', () => {
  it('recalls what was remembered for the same deciding inputs, whatever the image size', async () => {
    const dir = tempDir('records');
    const inputs = learnedWith();
    const file = recordFile(inputs, dir);
    assert.equal(await recallLayout(file, inputs), null);
    await rememberLayout(file, inputs, placeholderLayout(), '/runs/a');
    const sameButBigger = learnedWith({ imageSize: 1 << 20 });
    assert.equal(recordFile(sameButBigger, dir), file);
    const recalled = await recallLayout(file, sameButBigger);
    assert.deepEqual(recalled!.layout, placeholderLayout());
    assert.equal(recalled!.record.run, '/runs/a');
    assert.deepEqual(recalled!.record.learnedWith, inputs);
  });

  it('keys other inputs elsewhere, and refuses a record whose inputs are not these', async () => {
    const dir = tempDir('records');
    const inputs = learnedWith();
    const other = learnedWith({ dom0Mem: '512M' });
    assert.notEqual(recordFile(other, dir), recordFile(inputs, dir));
    await rememberLayout(recordFile(inputs, dir), inputs, placeholderLayout(), '/runs/a');
    assert.equal(await recallLayout(recordFile(inputs, dir), other), null, 'a record for other inputs is not recalled');
  });

  it('ignores an unreadable or corrupt record, skips an incomplete layout, and never fails to write', async () => {
    const dir = tempDir('records');
    const inputs = learnedWith();
    const file = recordFile(inputs, dir);
    writeFileSync(file, '{ not json');
    assert.equal(await recallLayout(file, inputs), null);
    await rememberLayout(file, inputs, emptyLayout(), '/runs/a');
    assert.equal(readFileSync(file, 'utf8'), '{ not json', 'an incomplete layout is not remembered');
    const blocked = path.join(dir, 'ro');
    writeFileSync(blocked, '');
    chmodSync(blocked, 0o444);
    await rememberLayout(path.join(blocked, 'x.json'), inputs, placeholderLayout(), '/runs/a');
  });
});
