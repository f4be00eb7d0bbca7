/**
 * The shell that the nightly drift files (docker/github-nightly-drift.yml, docker/gitlab-nightly-drift.yml)
 * give each job, as the runner would run it: scripts/container-check.sh runs these in the image the
 * way GitHub's container jobs and GitLab's Docker executor do, so the check runs the files' own
 * commands. Run as `node --import tsx test/docker/ci-jobs.ts OUTDIR`: writes OUTDIR/{github,gitlab}/
 * shard.sh, merge.sh, env (KEY=VALUE lines), shards (N), user (GitHub: the container's --user).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

type Y = Record<string, unknown>;

const DOCKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docker');

/** What one CI system runs: the shard job's and the merge job's script, their environment, the shard count. */
export interface CiJobs {
  shardScript: string;
  mergeScript: string;
  /** Environment of every job; CI_NODE_INDEX (and, in GitLab, CI_NODE_TOTAL) are set per shard by the runner. */
  env: Record<string, string>;
  shards: number;
  /** GitHub: the --user of the jobs' container options ('' for the image's user). */
  user: string;
  /** The image reference the jobs name. */
  image: string;
}

function obj(value: unknown, what: string): Y {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: expected a mapping`);
  return value as Y;
}

/** GitHub's `${{ }}` as a scheduled run of shard `shard` sees it; any other expression is refused (the check would not know its value). */
export function githubExpand(text: string, shard: number | null): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (whole, expression: string) => {
    if (expression === 'matrix.shard' && shard !== null) return String(shard);
    if (expression === "inputs.fail-on || 'failure'") return 'failure';
    throw new Error(`unknown GitHub expression ${whole}`);
  });
}

/** The container's image and `--user` (from `options`) of a GitHub job. */
function githubContainer(job: Y): { image: string; user: string } {
  const container = job.container;
  if (typeof container === 'string') return { image: container, user: '' };
  const c = obj(container, 'container');
  const options = typeof c.options === 'string' ? c.options : '';
  const user = /(?:^|\s)--user[ =](\S+)/.exec(options)?.[1] ?? '';
  return { image: String(c.image), user };
}

function githubRuns(job: Y, shard: number | null): string {
  const steps = (job.steps as unknown[]).map((s) => obj(s, 'step'));
  return steps
    .filter((s) => typeof s.run === 'string')
    .map((s) => githubExpand(s.run as string, shard))
    .join('\n');
}

/** GitHub: the workflow's env plus each job's (expressions expanded), the `run` steps, the matrix size. */
export function githubJobs(text = readFileSync(path.join(DOCKER, 'github-nightly-drift.yml'), 'utf8')): CiJobs {
  const workflow = obj(parse(text), 'workflow');
  const jobs = obj(workflow.jobs, 'jobs');
  const shard = obj(jobs['drift-shard'], 'drift-shard');
  const merge = obj(jobs['drift-merge'], 'drift-merge');
  const shards = (obj(obj(shard.strategy, 'strategy').matrix, 'matrix').shard as unknown[]).length;
  const env: Record<string, string> = {};
  for (const source of [workflow.env, shard.env, merge.env])
    for (const [key, value] of Object.entries(obj(source ?? {}, 'env'))) {
      if (key === 'CI_NODE_INDEX') continue; // the matrix's, per shard
      env[key] = githubExpand(String(value), null);
    }
  const shardContainer = githubContainer(shard);
  const mergeContainer = githubContainer(merge);
  if (shardContainer.image !== mergeContainer.image || shardContainer.user !== mergeContainer.user)
    throw new Error('drift-shard and drift-merge run in different containers');
  return {
    shardScript: githubRuns(shard, null),
    mergeScript: githubRuns(merge, null),
    env,
    shards,
    ...shardContainer,
  };
}

/** A GitLab job with `extends` applied (mappings merged, the rest replaced). */
function gitlabJob(config: Y, name: string): Y {
  const job = obj(config[name], name);
  const parents = job.extends === undefined ? [] : [job.extends].flat().map(String);
  let out: Y = {};
  const merge = (base: Y, over: Y): Y => {
    const result: Y = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const prior = result[key];
      const mergeable = (v: unknown): v is Y => v !== null && typeof v === 'object' && !Array.isArray(v);
      result[key] = mergeable(prior) && mergeable(value) ? merge(prior, value) : value;
    }
    return result;
  };
  for (const parent of parents) out = merge(out, gitlabJob(config, parent));
  const own = { ...job };
  delete own.extends;
  return merge(out, own);
}

/** GitLab: the pipeline's variables, each job's script as the runner runs it (set -eo pipefail, line by line), `parallel`. */
export function gitlabJobs(text = readFileSync(path.join(DOCKER, 'gitlab-nightly-drift.yml'), 'utf8')): CiJobs {
  const config = obj(parse(text), 'gitlab-ci');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj(config.variables ?? {}, 'variables')))
    env[key] = String(value !== null && typeof value === 'object' ? (value as Y).value : value);
  const shard = gitlabJob(config, 'drift-shard');
  const merge = gitlabJob(config, 'drift-merge');
  const script = (job: Y): string => ['set -eo pipefail', ...(job.script as unknown[]).map(String)].join('\n');
  const image = obj(shard.image, 'image');
  if ('entrypoint' in image) throw new Error('the GitLab jobs override the entry point: the check runs the image as it is');
  return {
    shardScript: script(shard),
    mergeScript: script(merge),
    env,
    shards: Number(shard.parallel),
    user: '',
    image: String(image.name),
  };
}

function write(dir: string, jobs: CiJobs): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'shard.sh'), `${jobs.shardScript}\n`);
  writeFileSync(path.join(dir, 'merge.sh'), `${jobs.mergeScript}\n`);
  writeFileSync(
    path.join(dir, 'env'),
    Object.entries(jobs.env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  writeFileSync(path.join(dir, 'shards'), `${jobs.shards}\n`);
  writeFileSync(path.join(dir, 'user'), `${jobs.user}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: ci-jobs.ts OUTDIR');
  write(path.join(out, 'github'), githubJobs());
  write(path.join(out, 'gitlab'), gitlabJobs());
}
