/**
 * test/docker/ci-jobs.ts, which hands scripts/container-check.sh the nightly drift files' job
 * scripts: what it extracts is what the files say, and it refuses what it cannot reproduce (an
 * unknown GitHub expression, a GitLab entry point override) instead of running something else.
 * Also the check script's command line (its run itself is `npm run test:container`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { githubExpand, githubJobs, gitlabJobs } from './ci-jobs.js';
import { ROOT } from '../helpers/cli.js';

const githubText = readFileSync(path.join(ROOT, 'docker', 'github-nightly-drift.yml'), 'utf8');
const gitlabText = readFileSync(path.join(ROOT, 'docker', 'gitlab-nightly-drift.yml'), 'utf8');
type Y = Record<string, Record<string, unknown>>;

describe('test/docker/ci-jobs.ts', () => {
  it("GitHub: the steps' run scripts, the workflow's and jobs' env, the matrix size and the container's --user", () => {
    const jobs = githubJobs();
    const workflow = parse(githubText) as Y & { env: Record<string, string>; jobs: Y };
    const shardRuns = (workflow.jobs['drift-shard']!.steps as { run?: string }[]).flatMap((s) => (s.run ? [s.run] : []));
    assert.equal(jobs.shardScript, shardRuns.join('\n'));
    assert.match(jobs.mergeScript, /^xen-dom0-boot drift merge /);
    for (const [key, value] of Object.entries(workflow.env)) assert.equal(jobs.env[key], value, key);
    assert.equal(jobs.env.FAIL_ON, 'failure', 'a scheduled run has no inputs');
    assert.equal(jobs.env.CI_NODE_INDEX, undefined, 'set per shard by the check, as the matrix does');
    assert.equal(jobs.shards, (workflow.jobs['drift-shard']!.strategy as { matrix: { shard: number[] } }).matrix.shard.length);
    assert.equal(jobs.user, '1001');
  });

  it('GitHub: an expression it does not know is refused, not passed on', () => {
    assert.equal(githubExpand('drift-shard-${{ matrix.shard }}', 3), 'drift-shard-3');
    assert.throws(() => githubExpand('${{ secrets.TOKEN }}', 1), /unknown GitHub expression \$\{\{ secrets\.TOKEN \}\}/);
    assert.throws(() => githubExpand('${{ matrix.shard }}', null), /unknown GitHub expression/);
    const withVar = githubText.replace("XEN_BUILDS: '4.17,4.20'", "XEN_BUILDS: '${{ vars.XEN_BUILDS }}'");
    assert.notEqual(withVar, githubText);
    assert.throws(() => githubJobs(withVar), /unknown GitHub expression \$\{\{ vars\.XEN_BUILDS \}\}/);
  });

  it("GitLab: the scripts as the runner runs them, the variables' values, parallel; an entry point override is refused", () => {
    const jobs = gitlabJobs();
    const config = parse(gitlabText) as Y & { variables: Record<string, { value: string }> };
    assert.equal(jobs.shardScript.split('\n')[0], 'set -eo pipefail');
    assert.equal(jobs.shardScript.split('\n').slice(1).join('\n'), (config['drift-shard']!.script as string[]).join('\n'));
    assert.match(jobs.mergeScript, /\nxen-dom0-boot drift merge /);
    for (const [key, variable] of Object.entries(config.variables)) assert.equal(jobs.env[key], variable.value, key);
    assert.equal(jobs.shards, config['drift-shard']!.parallel);
    const overridden = gitlabText.replace(/^( {2}image:\n {4}name: .*\n)/m, "$1    entrypoint: ['']\n");
    assert.notEqual(overridden, gitlabText);
    assert.throws(() => gitlabJobs(overridden), /override the entry point/);
  });
});

describe('scripts/container-check.sh (command line)', () => {
  const check = (args: string[]) => spawnSync('bash', [path.join(ROOT, 'scripts', 'container-check.sh'), ...args], { encoding: 'utf8' });

  it('--help prints its usage; an unknown argument is refused with exit 2, before anything runs', () => {
    const help = check(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: scripts\/container-check\.sh \[--no-cache\] \[--clean\]/);
    const bad = check(['--nocache']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown argument '--nocache'/);
  });
});
