/** A committed overlay against what its lock renders: equal bodies pass, any hand edit is named by field or line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overlayDifferences } from '../../src/overlay/compare.js';
import { renderOverlay } from '../../src/overlay/render.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';

const layout = parseXenLog(fixtureLines('xen/xen417-6G-256M.log')).layout;
const twoBanks = parseXenLog(fixtureLines('xen/xen417-6G-3G-two-banks.log')).layout;
const committed = renderOverlay(layout, {
  toolVersion: '0.1.0',
  xenVersion: '4.17.7',
  learnedAt: '2026-11-24T08:00:00Z',
  run: 'runs/boot-x',
});

describe('overlayDifferences', () => {
  it('none when the body is what the lock renders, whatever the header says (date, run, tool version)', () => {
    assert.deepEqual(overlayDifferences(committed, layout), []);
    assert.deepEqual(overlayDifferences(renderOverlay(layout, { toolVersion: '9.9.9', xenVersion: null }), layout), []);
  });

  it('names each lock field whose line was edited, with the lock value', () => {
    const edited = committed.replace('<GIC_PPI 0 IRQ_TYPE_EDGE', '<GIC_PPI 1 IRQ_TYPE_EDGE').replace('memory@50000000', 'memory@51000000');
    const differences = overlayDifferences(edited, layout);
    assert.ok(differences.includes('eventChannelPpi (lock: 16)'), differences.join('; '));
    assert.ok(differences.includes('dom0Banks[0] (lock: 0x50000000-0x60000000)'), differences.join('; '));
    assert.ok(!differences.some((d) => d.startsWith('grantTable')));
  });

  it('an extended region, a second bank and the grant table are fields too', () => {
    const text = renderOverlay(twoBanks, { toolVersion: '0.1.0', xenVersion: null });
    assert.deepEqual(overlayDifferences(text, twoBanks), []);
    const regionLine = text.split('\n').find((l) => l.startsWith('\t\t       '))!;
    const fields = overlayDifferences(text.replace(regionLine, `${regionLine} `), twoBanks).map((d) => d.replace(/ \(lock: .*\)$/, ''));
    assert.deepEqual(fields.slice(0, 1), ['extendedRegions[0]']);
    const other = overlayDifferences(text, layout).map((d) => d.replace(/ \(lock: .*\)$/, ''));
    assert.ok(other.includes('grantTable') || other.includes('dom0Banks[0]'), other.join('; '));
    assert.ok(
      overlayDifferences(renderOverlay(layout, { toolVersion: '0.1.0', xenVersion: null }), twoBanks).some((d) =>
        d.startsWith('dom0Banks[1] (lock: 0x'),
      ),
    );
  });

  it('a line added or removed by hand is named with its line number', () => {
    const added = committed.replace('\t\tstatus = "okay";', '\t\tstatus = "okay";\n\t\tmy-property;');
    const line = added.split('\n').indexOf('\t\tmy-property;') + 1;
    assert.deepEqual(overlayDifferences(added, layout), [`line ${line} "my-property;" is not what the lock renders`]);
    assert.deepEqual(overlayDifferences(committed.replace('\t\tstatus = "okay";\n', ''), layout), [
      'line "status = \\"okay\\";" is missing',
    ]);
    assert.deepEqual(overlayDifferences(committed.replace('\n\n/delete-node/', '\n/delete-node/'), layout), [
      'the text differs (blank lines, order or whitespace)',
    ]);
  });
});
