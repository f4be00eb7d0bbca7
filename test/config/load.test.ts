import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULTS, loadConfigFile, mergeConfig, validateOverrides } from '../../src/config/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'xdb-config-'));
function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadConfigFile', () => {
  it('reads fields and resolves paths against the file', async () => {
    const file = configFile('ok.json', JSON.stringify({ memory: '2G', dom0Mem: '1G', xen: 'xen-4.17', timeout: 20 }));
    const config = await loadConfigFile(file);
    assert.deepEqual(config, { memory: '2G', dom0Mem: '1G', xen: path.join(dir, 'xen-4.17'), timeout: 20 });
  });

  it('names the file and the field of a bad value', async () => {
    const file = configFile('bad.json', JSON.stringify({ memory: '6 GB' }));
    await assert.rejects(loadConfigFile(file), {
      code: 'CONFIG_INVALID',
      message: new RegExp(`config file ${file}: field "memory": expected a QEMU memory size`),
    });
  });

  it('warns about unknown fields with their path, and ignores them', async () => {
    const file = configFile('unknown.json', JSON.stringify({ memroy: '6G', dom0Mem: '1G', build: { type: 'demo', colour: 'red' } }));
    const warnings: string[] = [];
    const config = await loadConfigFile(file, (w) => warnings.push(w));
    assert.equal(config.dom0Mem, '1G');
    assert.deepEqual(warnings.sort(), [
      `config file ${file}: unknown field "build.colour" ignored`,
      `config file ${file}: unknown field "memroy" ignored`,
    ]);
  });

  it('names a file that is not JSON, or missing', async () => {
    await assert.rejects(loadConfigFile(configFile('broken.json', '{ memory: ')), {
      code: 'CONFIG_INVALID',
      message: /broken\.json: not valid JSON/,
    });
    await assert.rejects(loadConfigFile(path.join(dir, 'none.json')), { code: 'INPUT_NOT_FOUND', message: /none\.json: cannot read it/ });
  });
});

describe('CLI overrides', () => {
  it('name the option and the value', () => {
    assert.throws(() => validateOverrides({ loadAddr: '40600000' }), {
      code: 'USAGE',
      message: /--load-addr: expected a hex address.*got "40600000"/,
    });
    assert.throws(() => validateOverrides({ timeout: 'soon' }), { message: /--timeout: expected a number of seconds/ });
    assert.throws(() => validateOverrides({ timeout: -1 }), { message: /--timeout: expected more than 0 seconds \(got -1\)/ });
    assert.throws(() => validateOverrides({ timeout: 99999 }), { message: /--timeout: expected at most 3600 seconds \(got 99999\)/ });
  });

  it('win over the file, which wins over defaults', () => {
    const config = mergeConfig({ memory: '2G', dom0Mem: '1G' }, validateOverrides({ memory: '6G', image: undefined }));
    assert.equal(config.memory, '6G');
    assert.equal(config.dom0Mem, '1G');
    assert.equal(config.timeout, DEFAULTS.timeout);
  });
});

describe('hostile values', () => {
  const rejects = (name: string, data: object, message: RegExp) =>
    assert.rejects(loadConfigFile(configFile(name, JSON.stringify(data))), { code: 'CONFIG_INVALID', message });

  it('refuses NUL bytes anywhere, naming the file and the field', async () => {
    await rejects('nul.json', { xenArgs: 'a\0b' }, /nul\.json: field "xenArgs": must not contain a NUL byte$/);
    await rejects('nul2.json', { dom0Args: 'x\0' }, /field "dom0Args": must not contain a NUL byte/);
    await rejects('nul3.json', { image: 'dom0\0.bin' }, /field "image": must not contain a NUL byte/);
    await rejects(
      'nul4.json',
      { build: { type: 'command', argv: ['make', 'A=\0'], image: 'x' } },
      /field "build.argv.1": must not contain/,
    );
    await rejects('nul5.json', { drift: { xenArgs: ['ok', 'a\0'] } }, /field "drift.xenArgs.1": must not contain a NUL byte/);
  });

  it('refuses oversized strings and lists', async () => {
    await rejects('big.json', { xenArgs: 'x'.repeat(10 * 1024 * 1024) }, /field "xenArgs": expected at most 4096 characters/);
    await rejects('big2.json', { overlay: 'o'.repeat(5000) }, /field "overlay": expected at most 4096 characters/);
    await rejects(
      'big3.json',
      { build: { type: 'command', argv: Array(300).fill('x'), image: 'x' } },
      /"build.argv": expected at most 256 items/,
    );
  });

  it('refuses empty list items', async () => {
    await rejects('empty.json', { successPatterns: ['^up$', ''] }, /field "successPatterns.1": pattern "": expected a non-empty pattern/);
    await rejects('empty2.json', { drift: { memory: ['2G', ''] } }, /field "drift.memory.1": expected a QEMU memory size/);
    await rejects('empty3.json', { drift: { xen: ['4.17', ''] } }, /field "drift.xen.1": expected a non-empty value/);
    await rejects('empty4.json', { dom0Mem: '256M,' }, /field "dom0Mem": expected a Xen dom0_mem value .*no empty items/);
    await rejects('empty5.json', { drift: { dom0Mem: [',1G'] } }, /field "drift.dom0Mem.0": expected a Xen dom0_mem value/);
    await rejects('empty6.json', { successPatterns: [] }, /field "successPatterns": expected at least one item/);
  });

  it('keeps accepting the dom0_mem forms Xen reads', async () => {
    for (const dom0Mem of ['256M', '1G', '524288', 'min:512M,max:1G', '0x10000000']) {
      assert.equal((await loadConfigFile(configFile('mem.json', JSON.stringify({ dom0Mem })))).dom0Mem, dom0Mem);
    }
  });

  it('refuses patterns the linear-time engine cannot run, naming file, field and pattern', async () => {
    await rejects(
      're.json',
      { successPatterns: ['^ok$', '(a)\\1'] },
      /re\.json: field "successPatterns.1": pattern "\(a\)\\\\1": backreference/,
    );
    await rejects('re2.json', { failurePattern: 'x(?!y)' }, /field "failurePattern": pattern "x\(\?!y\)": lookaround/);
  });

  it('from the CLI: names the option, shows the value escaped and cut; a refused pattern is USAGE too (the file is CONFIG_INVALID)', () => {
    assert.throws(() => validateOverrides({ dom0Args: 'a\0b' }), {
      code: 'USAGE',
      message: /^--dom0-args: must not contain a NUL byte \(got "a\\u0000b"\)$/,
    });
    assert.throws(() => validateOverrides({ xenArgs: 'y'.repeat(100_000) }), {
      code: 'USAGE',
      message: /^--xen-args: expected at most 4096 characters \(got "y{80}\.\.\." \(100000 characters\)\)$/,
    });
    assert.throws(() => validateOverrides({ successPatterns: ['^ok$', '^(a+)\\1$'] }), {
      code: 'USAGE',
      message: /^--success: pattern "\^\(a\+\)\\\\1\$": backreference \\1 is not supported/,
    });
    assert.throws(() => validateOverrides({ successPatterns: ['^ok$', '(x'] }), {
      code: 'USAGE',
      message: /^--success: pattern "\(x": expected a valid regular expression/,
    });
    assert.throws(() => validateOverrides({ dom0Mem: ',' }), { code: 'USAGE', message: /^--dom0-mem: expected a Xen dom0_mem value/ });
  });
});
