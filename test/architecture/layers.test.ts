/** The folder layout is the architecture: no cycles, no folder importing one above it (.dependency-cruiser.cjs). */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const config = await extractDepcruiseConfig(path.join(ROOT, '.dependency-cruiser.cjs'));

async function violations(baseDir: string): Promise<string[]> {
  const { output } = await cruise(['src'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

function tree(files: Record<string, string>): string {
  const dir = tempDir('layers');
  writeFileSync(path.join(dir, 'tsconfig.json'), '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext"}}');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the folder layers', () => {
  it('hold in src/: no cycle, no import of a folder above', async () => {
    assert.deepEqual(await violations(ROOT), []);
  });

  it('catch a low folder importing a high one (errors importing the run skeleton)', async () => {
    const dir = tree({
      'src/run/run.ts': 'export const run = 1;\n',
      'src/base/errors.ts': "import { run } from '../run/run.js';\nexport const x = run;\n",
    });
    assert.deepEqual(await violations(dir), ['no-upward-from-base: src/base/errors.ts -> src/run/run.ts']);
  });

  it('catch a cycle inside one folder', async () => {
    const dir = tree({
      'src/util/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'src/util/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    const found = await violations(dir);
    assert.ok(found.length >= 1 && found.every((v) => v.startsWith('no-circular')), found.join('\n'));
  });

  it('let a folder import the folders below it (the pipeline imports report records)', async () => {
    const dir = tree({
      'src/report/report.ts': 'export type R = { a: number };\n',
      'src/pipeline/p.ts': "import type { R } from '../report/report.js';\nexport const r: R = { a: 1 };\n",
    });
    assert.deepEqual(await violations(dir), []);
  });
});
