/** The image must run the project's own scripts (what CI tests), and must not bake in local state. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';

const dockerfile = readFileSync(path.join(ROOT, 'docker', 'Dockerfile'), 'utf8');
const runs = dockerfile
  .split('\n')
  .filter((l) => /^RUN /.test(l))
  .join('\n');

describe('docker/Dockerfile', () => {
  it('builds on Debian 12 with Node 20 and installs through scripts/setup.sh', () => {
    assert.match(dockerfile, /^FROM node:20-bookworm/m);
    assert.match(dockerfile, /bash scripts\/setup\.sh \$extra/);
    assert.match(runs, /docker\/zephyr\.sh sdk/);
    assert.doesNotMatch(dockerfile, /npm (ci|install)/, 'npm ci comes from setup.sh, not a second copy of it');
  });

  it('keeps local state out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.cache', 'runs', '.state']) assert.ok(ignored.includes(entry), entry);
  });
});
