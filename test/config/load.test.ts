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
