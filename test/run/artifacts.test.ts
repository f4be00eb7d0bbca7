/** What the run leaves besides report.json: the picture, the serial tail for JUnit, a bundle's temp file removed at exit. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { ReportJson } from '../../src/report/report.js';
import { layoutPicture, serialTail } from '../../src/run/artifacts.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { tempDir } from '../helpers/tmp.js';

const machine = {
  profile: 'p',
  xen: '/x',
  qemu: '/q',
  qemuSource: 'path',
  memory: '6G',
  dom0Mem: '256M',
  xenBootargs: '',
  dom0Bootargs: '',
  loadAddr: '0x40600000',
};

describe('layoutPicture', () => {
  it("draws learn's layout with the image module; nothing for drift or a run that never knew its machine", () => {
    const learn = {
      command: 'learn',
      inputs: { ...machine, moduleSize: '0x1000' },
      layout: layoutToJson(placeholderLayout()),
      failure: null,
    } as unknown as ReportJson;
    const svg = layoutPicture(learn)!;
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /0x60000000/);
    assert.match(svg, /Dom0 image module/);
    assert.equal(layoutPicture({ ...learn, command: 'drift' } as ReportJson), null);
    assert.equal(layoutPicture({ ...learn, inputs: null } as ReportJson), null);
  });
});

describe('serialTail', () => {
  it('the last lines of a serial log, ANSI and CRs removed; empty for none', async () => {
    const file = path.join(tempDir('tail'), 'serial.log');
    writeFileSync(file, `${Array.from({ length: 100 }, (_, i) => `\x1b[1m(XEN) line ${i}\x1b[0m\r`).join('\n')}\n`);
    const tail = await serialTail(file, 3);
    assert.deepEqual(tail.split('\n'), ['(XEN) line 98', '(XEN) line 99', '']);
    assert.equal(await serialTail(undefined), '');
    assert.equal(await serialTail(path.join(tempDir('tail'), 'none.log')), '');
  });
});

describe('removeAtExit', () => {
  it('removes a registered file when the process exits (process.exit included), not a forgotten one', () => {
    const dir = tempDir('exit');
    const kept = path.join(dir, 'kept.tmp');
    const gone = path.join(dir, 'gone.tmp');
    const script = `import { writeFileSync } from 'node:fs';
import { removeAtExit } from ${JSON.stringify(path.resolve('src/util/exit-cleanup.ts'))};
writeFileSync(${JSON.stringify(gone)}, 'x'); writeFileSync(${JSON.stringify(kept)}, 'x');
removeAtExit(${JSON.stringify(gone)}); removeAtExit(${JSON.stringify(kept)})();
process.exit(130);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 130, run.stderr);
    assert.equal(existsSync(gone), false);
    assert.equal(existsSync(kept), true);
  });
});
