/** QEMU's --version line as numbers, and the 8.2 timer fix line between QEMUs that hang Zephyr Dom0s and those that do not. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { QEMU_CACHE_BIN } from '../../src/base/paths.js';
import { compareVersions, formatVersion, olderThanTimerFix, parseQemuVersion, TIMER_FIX } from '../../src/qemu/version.js';

/** What Debian 12's qemu-system-arm and bookworm-backports' print (first line of --version). */
const DEBIAN_12 = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)';
const BACKPORTS = 'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)';

describe('parseQemuVersion', () => {
  it("reads Debian 12's and bookworm-backports' version lines", () => {
    assert.deepEqual(parseQemuVersion(DEBIAN_12), { major: 7, minor: 2, patch: 22 });
    assert.deepEqual(parseQemuVersion(BACKPORTS), { major: 10, minor: 0, patch: 2 });
  });

  it('reads a version without a patch number or a package suffix, and trims', () => {
    assert.deepEqual(parseQemuVersion('QEMU emulator version 8.2'), { major: 8, minor: 2, patch: 0 });
    assert.deepEqual(parseQemuVersion('  QEMU emulator version 9.1.0\n'), { major: 9, minor: 1, patch: 0 });
    assert.deepEqual(parseQemuVersion('QEMU emulator version 0.0 (fake)'), { major: 0, minor: 0, patch: 0 });
  });

  it('says null for lines that are not QEMU version lines', () => {
    for (const line of [
      null,
      '',
      'fake 1.0',
      'qemu 7.2.0',
      'QEMU emulator version x.y',
      'QEMU emulator version 7',
      'QEMU emulator version 7.2.1.4',
    ]) {
      assert.equal(parseQemuVersion(line), null, String(line));
    }
  });
});

describe('the 8.2 timer fix', () => {
  it('compares major, then minor, then patch', () => {
    const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });
    assert.ok(compareVersions(v(7, 2, 22), TIMER_FIX) < 0);
    assert.ok(compareVersions(v(8, 1, 90), TIMER_FIX) < 0);
    assert.equal(compareVersions(v(8, 2, 0), TIMER_FIX), 0);
    assert.ok(compareVersions(v(8, 10, 0), TIMER_FIX) > 0);
    assert.ok(compareVersions(v(10, 0, 2), TIMER_FIX) > 0);
    assert.equal(formatVersion(TIMER_FIX), '8.2.0');
  });

  it("flags Debian 12's 7.2, not backports' 10.0, and not an unknown version", () => {
    assert.deepEqual(olderThanTimerFix(DEBIAN_12), { major: 7, minor: 2, patch: 22 });
    assert.equal(olderThanTimerFix(BACKPORTS), null);
    assert.equal(olderThanTimerFix('QEMU emulator version 8.2.0'), null);
    assert.deepEqual(olderThanTimerFix('QEMU emulator version 8.1.5'), { major: 8, minor: 1, patch: 5 });
    assert.equal(olderThanTimerFix('fake 1.0'), null);
    assert.equal(olderThanTimerFix(null), null);
  });

  const installed = [
    // Debian 12's is 7.2 (old); another release's may not be: only its line is checked.
    { name: "the system's /usr/bin", file: '/usr/bin/qemu-system-aarch64', old: undefined },
    { name: "the project cache's (npm run setup)", file: path.join(QEMU_CACHE_BIN, 'qemu-system-aarch64'), old: false },
  ];
  for (const { name, file, old } of installed) {
    // Both are installed by `npm run setup` (Debian's qemu-system-arm and the backports copy): a missing one fails.
    it(`parses what ${name} QEMU prints`, () => {
      assert.ok(existsSync(file), `${file} is not installed: run npm run setup`);
      const line = execFileSync(file, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
      assert.ok(parseQemuVersion(line), line);
      if (old !== undefined) assert.equal(olderThanTimerFix(line) !== null, old, line);
    });
  }
});
