/** What the tool says about a QEMU older than 8.2: the run's warning, and the reason added to a silent Dom0. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { explainSilentDom0, oldQemuWarning } from '../../src/qemu/old-qemu.js';
import { layoutToJson } from '../../src/xen/layout-json.js';

const DEBIAN_12 = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)';
const BACKPORTS = 'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)';
const SYSTEM = { path: '/usr/bin/qemu-system-aarch64', source: 'path' } as const;
const LAYOUT = layoutToJson(placeholderLayout());

function silent(): ToolError {
  return new ToolError('DOM0_SILENT', 'dom0', 'Dom0 printed nothing after the hand-over (--dom0-timeout): likely an address mismatch', {
    details: { dom0Lines: [], missingPatterns: ['^ok$'], builtWith: LAYOUT, xenPicked: LAYOUT },
  });
}

describe('oldQemuWarning', () => {
  it("names Debian 12's QEMU 7.2, where it came from, the fix version and the remedy", () => {
    const warning = oldQemuWarning(SYSTEM, DEBIAN_12);
    assert.match(warning!, /^QEMU 7\.2\.22 \(\/usr\/bin\/qemu-system-aarch64, from PATH\) is older than 8\.2: /);
    assert.match(warning!, /may hang a Zephyr Dom0 at random/);
    assert.match(warning!, /run `npm run setup` to get QEMU 10 from bookworm-backports, or pass --qemu$/);
    assert.match(oldQemuWarning({ path: '/sdk/qemu', source: 'zephyr-sdk' }, 'QEMU emulator version 8.1.5')!, /from the Zephyr SDK/);
  });

  it('says nothing for QEMU 8.2 or later, nor when the version is unknown', () => {
    assert.equal(oldQemuWarning({ path: '/c/qemu', source: 'project-cache' }, BACKPORTS), null);
    assert.equal(oldQemuWarning(SYSTEM, 'QEMU emulator version 8.2.0'), null);
    assert.equal(oldQemuWarning(SYSTEM, null), null);
    assert.equal(oldQemuWarning(SYSTEM, 'fake 1.0'), null);
  });
});

describe('explainSilentDom0', () => {
  it('adds the QEMU reason to DOM0_SILENT under QEMU 7.2, keeping code, stage and details', () => {
    const explained = explainSilentDom0(silent(), DEBIAN_12)!;
    assert.equal(explained.code, 'DOM0_SILENT');
    assert.equal(explained.stage, 'dom0');
    assert.equal(explained.exitCode, 13);
    assert.match(explained.message, /^Dom0 printed nothing after the hand-over \(--dom0-timeout\): likely an address mismatch; /);
    assert.match(
      explained.message,
      /QEMU 7\.2\.22 is why: QEMU before 8\.2 may hang a Zephyr Dom0 whose virtual timer compare value is ~0 \(run `npm run setup` to get QEMU 10 from bookworm-backports, or pass --qemu\)$/,
    );
    assert.deepEqual(explained.details, {
      dom0Lines: [],
      missingPatterns: ['^ok$'],
      builtWith: LAYOUT,
      xenPicked: LAYOUT,
      qemuVersion: DEBIAN_12,
    });
  });

  it('leaves DOM0_SILENT under QEMU 10, other failures and success as they are', () => {
    const failure = silent();
    assert.equal(explainSilentDom0(failure, BACKPORTS), failure);
    assert.equal(explainSilentDom0(failure, null), failure);
    const panic = new ToolError('XEN_PANIC', 'xen-boot', 'Xen panicked', { details: { serialTail: [] } });
    assert.equal(explainSilentDom0(panic, DEBIAN_12), panic);
    assert.equal(explainSilentDom0(null, DEBIAN_12), null);
  });
});
