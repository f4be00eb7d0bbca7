/** The Xen line patterns on their own: what each matches (and captures) in the real logs, and the spellings of other Xen versions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERNS, XEN_PREFIX } from '../../src/xen/patterns.js';
import { fixtureLines } from '../helpers/fixtures.js';

type Name = keyof typeof PATTERNS;
const NAMES = Object.keys(PATTERNS) as Name[];

/** Xen's messages in a real log: `(XEN) ` and any timestamp cut off, as the parser sees them. */
function messages(name: string): string[] {
  return fixtureLines(`xen/${name}`)
    .map((line) => XEN_PREFIX.exec(line) && line.slice(XEN_PREFIX.exec(line)![0].length).trimEnd())
    .filter((msg): msg is string => msg !== null);
}

/** How many messages of a log each pattern matches (only the non-zero ones). */
function counts(name: string): Partial<Record<Name, number>> {
  const msgs = messages(name);
  const out: Partial<Record<Name, number>> = {};
  for (const key of NAMES) {
    const n = msgs.filter((msg) => PATTERNS[key].test(msg)).length;
    if (n > 0) out[key] = n;
  }
  return out;
}

const BOOT_417 = {
  version: 1,
  banksHeader: 1,
  bank: 1,
  grantTable: 1,
  eventChannelPpi: 1,
  extendedRegion: 2,
  kernel: 1,
  dom0Dtb: 1,
  handover: 1,
  freedInit: 1,
};

describe('PATTERNS on whole real logs: each matches exactly its own lines', () => {
  it('Xen 4.17, dom0_mem=256M, with and without console timestamps', () => {
    assert.deepEqual(counts('xen417-6G-256M.log'), BOOT_417);
    assert.deepEqual(counts('xen417-6G-256M-timestamps.log'), BOOT_417);
  });

  it('Xen 4.17 and 4.20 with two banks and three extended regions', () => {
    const twoBanks = { ...BOOT_417, bank: 2, extendedRegion: 3 };
    assert.deepEqual(counts('xen417-6G-3G-two-banks.log'), twoBanks);
    assert.deepEqual(counts('xen420-6G-3G-two-banks.log'), twoBanks);
  });

  it('a Dom0 that could not be built: panic, its star lines, the reason and the reboot', () => {
    const panic = { version: 1, panicStart: 1, starLine: 2, dom0NotBuilt: 1, reboot: 1 };
    assert.deepEqual(counts('xen417-bad-image-panic.log'), panic);
    assert.deepEqual(counts('xen417-bad-image-noreboot.log'), panic);
  });

  it('not enough memory for Dom0: the banks header, then the panic with the unallocated amount', () => {
    assert.deepEqual(counts('xen417-dom0-mem-too-big.log'), {
      version: 1,
      banksHeader: 1,
      panicStart: 1,
      starLine: 2,
      reboot: 1,
      dom0MemoryShort: 1,
    });
  });
});

describe('PATTERNS captures on real lines', () => {
  const msgs = messages('xen420-6G-3G-two-banks.log');
  const match = (key: Name): RegExpExecArray => {
    const found = msgs.map((msg) => PATTERNS[key].exec(msg)).find((m) => m !== null);
    assert.ok(found, `${key} must match a line`);
    return found;
  };

  it('reads the version, the bank index and its zero-padded hex bounds', () => {
    assert.equal(match('version')[1], '4.20.5-pre');
    const bank = match('bank');
    assert.deepEqual([bank[1], bank[2], bank[3], bank[4]], [undefined, '0', '00000050000000', '00000100000000']);
  });

  it('reads the grant table, the PPI, a region, the kernel and the DTB', () => {
    assert.deepEqual(match('grantTable').slice(1), ['00000040200000', '00000040240000']);
    assert.equal(match('eventChannelPpi')[1], '16');
    assert.deepEqual(match('extendedRegion').slice(1), ['0', '40400000', '4fe00000']);
    assert.deepEqual(match('kernel').slice(1), ['0000000040600000', '0000000050000000', '0000000050001000']);
    assert.deepEqual(match('dom0Dtb').slice(1), ['0000000058000000', '0000000058001c4f']);
    assert.equal(match('freedInit')[1], '368');
  });

  it('reads the panic CPU and the unallocated MB', () => {
    const mem = messages('xen417-dom0-mem-too-big.log');
    assert.equal(mem.map((m) => PATTERNS.panicStart.exec(m)).find(Boolean)![1], '0');
    assert.equal(mem.map((m) => PATTERNS.dom0MemoryShort.exec(m)).find(Boolean)![1], '1344');
  });
});

describe('PATTERNS on the spellings of other Xen versions', () => {
  it('banks header: 4.17, the seed, 4.22 and the non-1:1 one; not other "Allocating" lines', () => {
    for (const msg of [
      'Allocating 1:1 mappings totalling 256MB for dom0:',
      'Allocating 1:1 mappings for dom0:',
      'Allocating 1:1 mappings totalling 256MB for d0:',
      'Allocating mappings totalling 256MB for d0:',
    ]) {
      assert.ok(PATTERNS.banksHeader.test(msg), msg);
    }
    assert.ok(!PATTERNS.banksHeader.test('Allocating PPI 16 for event channel interrupt'));
    assert.ok(!PATTERNS.banksHeader.test('Allocating 1:1 mappings totalling 256MB for d1:'));
  });

  it('banks: a plain and a non-1:1 "d0 BANK" line, with or without 0x; never a bank mid-line', () => {
    assert.deepEqual(PATTERNS.bank.exec('d0 BANK[2] 0x1000-0x2000 (1MB)')?.slice(1), ['d0 ', '2', '1000', '2000']);
    assert.deepEqual(PATTERNS.bank.exec('BANK[0] 50000000-60000000')?.slice(1), [undefined, '0', '50000000', '60000000']);
    assert.equal(PATTERNS.bank.exec('RAM: BANK[0] 0x1-0x2'), null);
  });

  it('extended regions: "d0:", "dom0:" and the older "Extended region"', () => {
    for (const msg of ['d0: extended region 1: 0x1->0x2', 'dom0: extended region 1: 0x1->0x2', 'Extended region 1: 0x1->0x2']) {
      assert.deepEqual(PATTERNS.extendedRegion.exec(msg)?.slice(1), ['1', '1', '2'], msg);
    }
    assert.equal(PATTERNS.extendedRegion.exec('d1: extended region 1: 0x1->0x2'), null);
  });

  it('hand-over to "DOM0" or "d0", not to another domain', () => {
    assert.ok(PATTERNS.handover.test("*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)"));
    assert.ok(PATTERNS.handover.test('*** Serial input to d0 (type CTRL-a three times)'));
    assert.ok(!PATTERNS.handover.test('*** Serial input to d1'));
    assert.ok(!PATTERNS.handover.test('*** Serial input to DOM01'));
  });

  it('Dom0 not built, with and without rc; crashed (with or without a colon) and halted', () => {
    assert.equal(PATTERNS.dom0NotBuilt.exec('Could not set up DOM0 guest OS (rc = -22)')?.[1], '-22');
    assert.equal(PATTERNS.dom0NotBuilt.exec('Could not set up d0 guest OS')?.[1], undefined);
    assert.ok(PATTERNS.dom0NotBuilt.test('Could not set up d0 guest OS'));
    assert.equal(
      PATTERNS.dom0Crashed.exec('Hardware Dom0 crashed: rebooting machine in 5 seconds.')?.[1],
      'rebooting machine in 5 seconds.',
    );
    assert.equal(PATTERNS.dom0Crashed.exec('Hardware Dom0 crashed')?.[1], '');
    assert.ok(PATTERNS.dom0Halted.test('Hardware Dom0 halted: halting machine'));
  });

  it('star lines need at least 20 stars and nothing else', () => {
    assert.ok(PATTERNS.starLine.test('*'.repeat(20)));
    assert.ok(PATTERNS.starLine.test(`${'*'.repeat(40)}  `));
    assert.ok(!PATTERNS.starLine.test('*'.repeat(19)));
    assert.ok(!PATTERNS.starLine.test(`${'*'.repeat(20)} x`));
    assert.ok(!PATTERNS.starLine.test('*** LOADING DOMAIN 0 ***'));
  });
});

describe('XEN_PREFIX', () => {
  it('strips "(XEN) " and every console_timestamps style; leaves other lines alone', () => {
    const strip = (line: string) => {
      const m = XEN_PREFIX.exec(line);
      return m ? line.slice(m[0].length) : null;
    };
    assert.equal(strip('(XEN) BANK[0] x'), 'BANK[0] x');
    assert.equal(strip('(XEN) [    0.067752] BANK[0] x'), 'BANK[0] x');
    assert.equal(strip('(XEN) [2026-01-01 10:00:00] BANK[0] x'), 'BANK[0] x');
    assert.equal(strip('(XEN) [2026-01-01 10:00:00.123 123]BANK[0] x'), 'BANK[0] x');
    assert.equal(strip('(XEN) '), '');
    assert.equal(strip('xen-dom0-boot test image: running'), null);
    assert.equal(strip(' (XEN) BANK[0] x'), null);
    assert.equal(strip('(XEN)BANK[0] x'), null);
  });
});
