/** The command line through the installed command (dist/xen-dom0-boot.cjs; execa drops the last newline): refusals still reported, suggestions, help, -V, completion. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { readReport, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const BIN = path.join(ROOT, 'dist', 'xen-dom0-boot.cjs');
const cli = async (...args: string[]) => {
  const r = await execa(process.execPath, [BIN, ...args], { reject: false, cwd: tempDir('cwd') });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
};
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('an option of another command', () => {
  it('is refused naming its commands, exit 2, and still reported in report.json and JUnit', async () => {
    const dir = tempDir('refused');
    const out = path.join(dir, 'run');
    const junit = path.join(dir, 'junit.xml');
    const r = await cli('boot', '--image', '/x/Image', '--out', out, '--junit', junit);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'xen-dom0-boot: config: --image applies to learn and drift, not boot (see xen-dom0-boot boot --help) [USAGE]');
    const report = readReport(out);
    assert.equal(report.command, 'boot');
    assert.deepEqual([report.failure?.code, report.failure?.stage], ['USAGE', 'config']);
    assert.match(report.failure!.message, /--image applies to learn and drift, not boot/);
    assert.match(readFileSync(junit, 'utf8'), /<failure [^>]*type="USAGE"/);
  });

  it("drift merge refuses drift's options, reported in its run folder", async () => {
    const out = path.join(tempDir('merge'), 'merged');
    const r = await cli('drift', 'merge', 'shard-1', '--memory', '2G', '--out', out);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /--memory applies to learn, boot, check and drift, not drift merge/);
    assert.equal(readReport(out).failure?.code, 'USAGE');
  });
});

describe('mistakes', () => {
  it('a mistyped option: a suggestion in one line, no parseArgs text, the run reported', async () => {
    const out = path.join(tempDir('typo'), 'run');
    const r = await cli('learn', '--dom0mem', '1G', '--out', out);
    assert.equal(r.exitCode, 2);
    assert.equal(
      r.stderr,
      'xen-dom0-boot: config: unknown option --dom0mem for learn: did you mean --dom0-mem? (see xen-dom0-boot learn --help) [USAGE]',
    );
    assert.equal(readReport(out).failure?.code, 'USAGE');
  });

  it('a mistyped command: a suggestion, exit 2, nothing on stdout, no run folder', async () => {
    const r = await cli('boto');
    assert.deepEqual([r.exitCode, r.stdout], [2, '']);
    assert.equal(r.stderr, 'xen-dom0-boot: config: unknown command "boto": did you mean boot? (see xen-dom0-boot --help) [USAGE]');
  });

  it('setup: its own options only, refused before the script runs', async () => {
    const r = await cli('setup', '--xen', '4.20', '--memory', '2G');
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^xen-dom0-boot: config: --memory applies to learn, boot, check and drift, not setup .*\[USAGE\]$/);
  });
});

describe('help, version and completion', () => {
  it('-V and --version print the name and version', async () => {
    for (const flag of ['-V', '--version']) {
      const r = await cli(flag);
      assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, `xen-dom0-boot ${version}`, '']);
    }
  });

  it("help boot is boot --help: boot's own options, exit 0", async () => {
    const a = await cli('help', 'boot');
    const b = await cli('boot', '--help');
    assert.equal(a.exitCode, 0);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^Usage: xen-dom0-boot boot \[options\]/);
    assert.match(a.stdout, /--pristine/);
    assert.doesNotMatch(a.stdout, /--image|--print-qemu-cmd/);
    assert.match((await cli('drift', 'merge', '--help')).stdout, /^Usage: xen-dom0-boot drift merge \[options\] <folders\.\.\.>/);
  });

  it('completion bash prints a script bash loads and completes with', async () => {
    const r = await cli('completion', 'bash');
    assert.equal(r.exitCode, 0);
    const script = path.join(tempDir('bash'), 'xen-dom0-boot.bash');
    writeFileSync(script, r.stdout);
    const body = 'source "$1"; COMP_WORDS=(xen-dom0-boot check --fi); COMP_CWORD=2; _xen_dom0_boot; echo "${COMPREPLY[*]}"';
    const { stdout } = await execa('bash', ['--norc', '--noprofile', '-c', body, 'bash', script]);
    assert.equal(stdout, '--fix');
  });
});
