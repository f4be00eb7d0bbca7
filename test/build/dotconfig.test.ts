/** The Kconfig fragment that pins Zephyr's link address to Dom0's bank. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONF_HEADER, parseDotConfig, renderConfFragment } from '../../src/build/dotconfig.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';

const layout = parseXenLog(fixtureLines('xen/xen417-6G-256M.log')).layout;

describe('renderConfFragment', () => {
  it("pins CONFIG_SRAM_BASE_ADDRESS and CONFIG_SRAM_SIZE (KiB) to Dom0's first bank", () => {
    const text = renderConfFragment(layout, '0.1.0');
    assert.ok(text.startsWith(`${CONF_HEADER} 0.1.0.`));
    const bank = layout.dom0Banks[0]!;
    const values = parseDotConfig(text);
    assert.equal(BigInt(values.get('CONFIG_SRAM_BASE_ADDRESS')!), bank.start);
    assert.equal(BigInt(values.get('CONFIG_SRAM_SIZE')!), (bank.end - bank.start) / 1024n);
  });

  it('a layout without a Dom0 bank is LAYOUT_INCOMPLETE at the build stage, not a bare Error (INTERNAL)', () => {
    assert.throws(() => renderConfFragment({ ...layout, dom0Banks: [] }, '0.1.0'), {
      code: 'LAYOUT_INCOMPLETE',
      stage: 'build',
      message: /^a Kconfig fragment needs a Dom0 bank/,
    });
  });
});
