/** checkQemu: the run's QEMU version check: the version line from the probe, and a warning (logged once) below 8.2. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkQemu } from '../../src/pipeline/qemu-check.js';
import type { ResolvedQemu } from '../../src/qemu/resolve.js';
import { probeVersions, versionMemo, type Probed } from '../../src/report/versions.js';
import type { Logger } from '../../src/util/log.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('qemu-check');
const xen = path.join(dir, 'xen');
writeFileSync(xen, 'not really xen');
const fakes: string[] = [];

after(async () => {
  // The probe remembers each binary's answer in the project's .cache/versions: drop ours.
  for (const fake of fakes) {
    const memo = await versionMemo(fake, ['--version']);
    if (memo) rmSync(memo, { force: true });
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A fake qemu-system-aarch64 (in its own folder `name`) whose --version runs `body` (sh). */
function fakeQemu(name: string, body: string): string {
  const file = path.join(dir, name, 'qemu-system-aarch64');
  mkdirSync(path.dirname(file));
  writeFileSync(file, `#!/bin/sh\n[ "$1" = --version ] || exit 2\n${body}\n`, { mode: 0o755 });
  fakes.push(file);
  return file;
}

/** A logger that records its warnings (checkQemu only warns). */
function recorder(): { log: Logger; warnings: { fields: Record<string, unknown>; msg: string }[] } {
  const warnings: { fields: Record<string, unknown>; msg: string }[] = [];
  const log = { warn: (fields: Record<string, unknown>, msg: string) => warnings.push({ fields, msg }) } as unknown as Logger;
  return { log, warnings };
}

const probed = (qemu: string | null): Promise<Probed> =>
  Promise.resolve({ qemu, crossCompiler: null, dtc: null, xenPackage: null, xenSha: null });

const DEBIAN_12 = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)';
const QEMU: ResolvedQemu = { path: '/opt/qemu/bin/qemu-system-aarch64', source: 'option' };

describe('checkQemu', () => {
  it('warns about a QEMU older than 8.2, in the result and once in the log, naming the binary and where it came from', async () => {
    const { log, warnings } = recorder();
    const check = await checkQemu(QEMU, probed(DEBIAN_12), log);
    assert.equal(check.versionLine, DEBIAN_12);
    assert.match(
      check.warning ?? '',
      /^QEMU 7\.2\.22 \(\/opt\/qemu\/bin\/qemu-system-aarch64, from --qemu\) is older than 8\.2: its ARM generic timer may hang a Zephyr Dom0 at random/,
    );
    assert.deepEqual(warnings, [{ fields: { qemu: QEMU.path, qemuSource: 'option', qemuVersion: DEBIAN_12 }, msg: check.warning }]);
  });

  it('names each source in words', async () => {
    const words = { option: '--qemu', 'zephyr-sdk': 'the Zephyr SDK', 'project-cache': "the project's cache", path: 'PATH' } as const;
    for (const [source, said] of Object.entries(words)) {
      const check = await checkQemu(
        { path: '/q', source: source as ResolvedQemu['source'] },
        probed('QEMU emulator version 8.1.5'),
        recorder().log,
      );
      assert.equal(check.warning?.startsWith(`QEMU 8.1.5 (/q, from ${said}) is older than 8.2`), true, check.warning ?? 'no warning');
    }
  });

  it('is quiet about 8.2 and newer, and about a version it cannot read; still reports the line', async () => {
    for (const line of [
      'QEMU emulator version 8.2.0',
      'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-1~bpo12+1)',
      'qemu, some fork 1.0',
      null,
    ]) {
      const { log, warnings } = recorder();
      assert.deepEqual(await checkQemu(QEMU, probed(line), log), { versionLine: line, warning: null });
      assert.deepEqual(warnings, []);
    }
  });

  it('with the real probe on a fake old QEMU: the first line of its --version, and the warning', async () => {
    const fake = fakeQemu('old', `echo '${DEBIAN_12}'; echo 'Copyright (c) 2003-2022 Fabrice Bellard'`);
    const { log, warnings } = recorder();
    const check = await checkQemu({ path: fake, source: 'path' }, probeVersions(fake, xen), log);
    assert.equal(check.versionLine, DEBIAN_12);
    assert.match(check.warning ?? '', /^QEMU 7\.2\.22 \(.*\/old\/qemu-system-aarch64, from PATH\) is older than 8\.2/);
    assert.equal(warnings.length, 1);
  });

  it('with the real probe on a QEMU whose --version fails: no version, no warning, no rejection', async () => {
    const fake = fakeQemu('fails', 'echo "cannot open display" >&2; exit 1');
    const check = await checkQemu({ path: fake, source: 'option' }, probeVersions(fake, xen), recorder().log);
    assert.deepEqual(check, { versionLine: null, warning: null });
  });
});
