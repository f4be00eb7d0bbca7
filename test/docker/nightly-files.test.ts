/**
 * docker/github-nightly-drift.yml and docker/gitlab-nightly-drift.yml, the ready-to-copy nightly
 * sharded drift jobs: each passes a real validator, a broken copy fails it (so the validator is
 * doing something), and the checks no schema can make hold: N shard jobs for `--shard` N, one
 * distinct artifact per shard, a merge that needs them all and runs when they fail, merge with
 * --junit and --fail-on, the JUnit published, permissions, the entry point.
 *
 * GitHub Actions: @action-validator/core, the WASM build of action-validator (SchemaStore's
 * github-workflow schema plus its check that every `needs` names a job of the workflow).
 * GitLab CI: GitLab's own CI JSON schema (gitlab-org/gitlab app/assets/javascripts/editor/schema/ci.json)
 * with Ajv. No npm package ships a current copy as a file; gitlab-ci-local bundles it (fetched
 * from GitLab by its `fetch-schema` script) into dist/index.js as an object literal. Its program
 * needs Node 22 (Set.prototype.union), so it is never run: the literal is read out of the bundle
 * with TypeScript's parser, as data, and refused if it holds anything but data.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateWorkflow, type ValidationState } from '@action-validator/core';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import ts from 'typescript';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCKER = path.join(ROOT, 'docker');
const GITHUB_FILE = path.join(DOCKER, 'github-nightly-drift.yml');
const GITLAB_FILE = path.join(DOCKER, 'gitlab-nightly-drift.yml');
const githubText = readFileSync(GITHUB_FILE, 'utf8');
const gitlabText = readFileSync(GITLAB_FILE, 'utf8');

/** The exit codes the contract gives a drift verdict: 17 combinations failed, 18 a layout drifted. */
const VERDICT_EXITS = [17, 18];
const FAIL_ON_VALUES = ['failure', 'drift', 'never'];

type Y = Record<string, unknown>;

function obj(value: unknown, what: string): Y {
  assert.ok(
    value !== null && typeof value === 'object' && !Array.isArray(value),
    `${what}: expected a mapping, got ${JSON.stringify(value)}`,
  );
  return value as Y;
}
function arr(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}
function str(value: unknown, what: string): string {
  assert.equal(typeof value, 'string', `${what}: expected a string, got ${JSON.stringify(value)}`);
  return value as string;
}

/** A shell glob with `*` (no `/` crossed) as an anchored RegExp. */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${body}$`);
}

/** Words of one shell command line: whitespace-separated, double or single quotes removed (no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

interface Command {
  positional: string[];
  options: Map<string, string>;
}

/** The `xen-dom0-boot drift [merge] ...` line of a script, parsed: words after the subcommand, `--opt value` pairs. */
function findCommand(script: string, merge: boolean): Command {
  const lines = script
    .split('\n')
    .filter((line) => (merge ? /xen-dom0-boot drift merge /.test(line) : /xen-dom0-boot drift (?!merge)/.test(line)));
  assert.equal(lines.length, 1, `one \`xen-dom0-boot drift${merge ? ' merge' : ''}\` line in:\n${script}`);
  const words = shellWords(lines[0]!.replace(/\|\|.*$/, ''));
  const at = words.indexOf('xen-dom0-boot');
  assert.deepEqual(words.slice(at, at + (merge ? 3 : 2)), merge ? ['xen-dom0-boot', 'drift', 'merge'] : ['xen-dom0-boot', 'drift']);
  const rest = words.slice(at + (merge ? 3 : 2));
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word.startsWith('--')) {
      const value = rest[i + 1];
      assert.ok(value !== undefined && !value.startsWith('--'), `${word} needs a value`);
      assert.ok(!options.has(word), `${word} given twice`);
      options.set(word, value);
      i++;
    } else {
      assert.equal(options.size, 0, `positional ${word} after options`);
      positional.push(word);
    }
  }
  return { positional, options };
}

function option(command: Command, name: string): string {
  const value = command.options.get(name);
  assert.ok(value !== undefined, `${name} is missing`);
  return value;
}

const shardNumbers = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

// ---------------------------------------------------------------------------------------------
// GitHub Actions

const github = obj(parse(githubText), 'workflow');
const githubJobs = obj(github.jobs, 'jobs');
const shardJob = obj(githubJobs['drift-shard'], 'jobs.drift-shard');
const mergeJob = obj(githubJobs['drift-merge'], 'jobs.drift-merge');

function steps(job: Y, what: string): Y[] {
  return arr(job.steps, `${what}.steps`).map((step, i) => obj(step, `${what}.steps[${i}]`));
}
function stepUsing(job: Y, what: string, action: string): Y[] {
  return steps(job, what).filter((step) => typeof step.uses === 'string' && step.uses.split('@')[0] === action);
}
function runScripts(job: Y, what: string): string {
  return steps(job, what)
    .filter((step) => typeof step.run === 'string')
    .map((step) => step.run as string)
    .join('\n');
}
const withOf = (step: Y, what: string): Y => obj(step.with, `${what}.with`);
const runsAlways = (condition: unknown): boolean => typeof condition === 'string' && /\b(always\(\)|!\s*cancelled\(\))/.test(condition);

function validateGithub(text: string): ValidationState {
  return validateWorkflow(text);
}

describe('docker/github-nightly-drift.yml', () => {
  it('passes action-validator (the workflow schema, and every `needs` names a job)', () => {
    const state = validateGithub(githubText);
    assert.equal(state.actionType, 'workflow');
    assert.deepEqual(state.errors, []);
  });

  it('a broken copy fails action-validator: a misspelled key, a cron that is not a string, a need on no job', () => {
    const cases: [string, string, string][] = [
      ['    runs-on: ubuntu-latest\n    timeout-minutes: 60', '    runs-onn: ubuntu-latest\n    timeout-minutes: 60', '/jobs/drift-shard'],
      ["- cron: '30 2 * * *'", '- cron: 230', '/on'],
      ['needs: drift-shard', 'needs: drift-shards', '/jobs/drift-merge/needs'],
    ];
    for (const [from, to, where] of cases) {
      assert.ok(githubText.includes(from), `the file holds ${JSON.stringify(from)}`);
      const state = validateGithub(githubText.replace(from, to));
      assert.ok(state.errors.length > 0, `${to}: expected errors`);
      assert.ok(
        state.errors.some((error) => 'path' in error && error.path === where),
        `${to}: expected an error at ${where}, got ${JSON.stringify(state.errors.map((e) => ('path' in e ? e.path : e.title)))}`,
      );
    }
  });

  it('runs on a schedule and by hand', () => {
    const on = obj(github.on, 'on');
    const crons = arr(on.schedule, 'on.schedule').map((entry, i) => str(obj(entry, `on.schedule[${i}]`).cron, 'cron'));
    assert.ok(crons.length > 0);
    for (const cron of crons) assert.equal(cron.trim().split(/\s+/).length, 5, `cron ${cron}: five fields`);
    assert.ok('workflow_dispatch' in on);
  });

  it('has one shard job per index 1..N, not cancelled by a failing sibling, with CI_NODE_INDEX/CI_NODE_TOTAL from the matrix', () => {
    const strategy = obj(shardJob.strategy, 'strategy');
    assert.equal(strategy['fail-fast'], false);
    const matrix = obj(strategy.matrix, 'strategy.matrix');
    assert.deepEqual(Object.keys(matrix), ['shard'], 'one matrix dimension: the shard index (more would multiply the jobs)');
    const shards = arr(matrix.shard, 'matrix.shard');
    assert.deepEqual(shards, shardNumbers(shards.length), 'shard indices are 1..N');
    const env = obj(shardJob.env, 'drift-shard.env');
    assert.equal(env.CI_NODE_INDEX, '${{ matrix.shard }}');
    assert.equal(String(env.CI_NODE_TOTAL), String(shards.length), 'CI_NODE_TOTAL is the number of shard jobs');
  });

  it('each shard runs `xen-dom0-boot drift ... --shard auto` on the workflow-wide matrix, and fails only on errors that are not a verdict', () => {
    const script = runScripts(shardJob, 'drift-shard');
    const command = findCommand(script, false);
    assert.equal(option(command, '--shard'), 'auto');
    assert.equal(command.positional.length, 0);
    const env = obj(github.env, 'env');
    const xen = option(command, '--xen');
    assert.match(xen, /^\$\w+$/, '--xen comes from a variable: the "point it at your Xen builds" placeholder');
    assert.ok(xen.slice(1) in env, `${xen} is set in the workflow's env, so every shard sees the same matrix`);
    assert.ok(/Point it at your Xen builds/.test(githubText));
    for (const name of ['--memory', '--dom0-mem']) assert.ok(option(command, name).slice(1) in env, `${name} from the workflow's env`);
    // 17 and 18 are the merge job's verdict; anything else (usage, a missing Xen) fails the shard.
    const tolerated = /case "\$status" in ([\d |]+)\)/.exec(script);
    assert.ok(tolerated, 'a case on the drift exit status');
    assert.deepEqual(
      tolerated[1]!
        .split('|')
        .map((s) => Number(s.trim()))
        .sort((a, b) => a - b),
      [0, ...VERDICT_EXITS],
    );
    assert.match(script, /xen-dom0-boot drift .*\|\| status=\$\?\n/);
    assert.match(script, /\*\) exit "\$status"/);
  });

  it('every shard uploads its own run folder as a distinct artifact, even when it failed', () => {
    const shards = arr(obj(obj(shardJob.strategy, 'strategy').matrix, 'matrix').shard, 'matrix.shard') as number[];
    const out = option(findCommand(runScripts(shardJob, 'drift-shard'), false), '--out');
    const uploads = stepUsing(shardJob, 'drift-shard', 'actions/upload-artifact');
    assert.equal(uploads.length, 1);
    const upload = uploads[0]!;
    assert.equal(upload.uses, 'actions/upload-artifact@v4');
    assert.ok(runsAlways(upload.if), 'upload with if: always()');
    const name = str(withOf(upload, 'upload').name, 'upload name');
    const uploadPath = str(withOf(upload, 'upload').path, 'upload path');
    const names = shards.map((k) => name.replaceAll('${{ matrix.shard }}', String(k)));
    assert.equal(new Set(names).size, shards.length, `distinct artifact names: ${names.join(', ')}`);
    for (const k of shards) {
      const folder = out.replaceAll('$CI_NODE_INDEX', String(k));
      assert.doesNotMatch(folder, /\$/, `--out ${out} expands for shard ${k}`);
      assert.equal(
        uploadPath.replaceAll('${{ matrix.shard }}', String(k)).replace(/\/$/, ''),
        folder,
        `shard ${k} uploads its --out folder`,
      );
    }
  });

  it('the merge job needs the shards, runs when they failed, downloads each into its own folder and merges them all', () => {
    assert.deepEqual([mergeJob.needs].flat(), ['drift-shard']);
    assert.ok(runsAlways(mergeJob.if), `if: ${String(mergeJob.if)}`);
    const shards = arr(obj(obj(shardJob.strategy, 'strategy').matrix, 'matrix').shard, 'matrix.shard') as number[];
    const shardName = str(withOf(stepUsing(shardJob, 'drift-shard', 'actions/upload-artifact')[0]!, 'upload').name, 'name');
    const downloads = stepUsing(mergeJob, 'drift-merge', 'actions/download-artifact');
    assert.equal(downloads.length, 1);
    assert.equal(downloads[0]!.uses, 'actions/download-artifact@v4');
    const download = withOf(downloads[0]!, 'download');
    const pattern = globRegExp(str(download.pattern, 'pattern'));
    // Every shard folder has the same file names: merged into one folder they would overwrite each other.
    assert.equal(download['merge-multiple'], false);
    const into = str(download.path, 'download path');
    const merge = findCommand(runScripts(mergeJob, 'drift-merge'), true);
    assert.ok(merge.positional.length > 0, 'merge is given the shard folders');
    for (const k of shards) {
      const artifact = shardName.replaceAll('${{ matrix.shard }}', String(k));
      assert.match(artifact, pattern, `the download pattern takes ${artifact}`);
      const folder = `${into}/${artifact}/`;
      assert.ok(
        merge.positional.some((dir) => globRegExp(dir.endsWith('/') ? dir : `${dir}/`).test(folder)),
        `merge ${merge.positional.join(' ')} takes ${folder}`,
      );
    }
    const mergedName = str(withOf(stepUsing(mergeJob, 'drift-merge', 'actions/upload-artifact')[0]!, 'upload').name, 'name');
    assert.doesNotMatch(mergedName, pattern, 'the merged artifact is not downloaded as a shard on a re-run');
  });

  it('merge gets --junit and --fail-on (failure|drift|never, from a dispatch input, failure when scheduled)', () => {
    const merge = findCommand(runScripts(mergeJob, 'drift-merge'), true);
    const junit = option(merge, '--junit');
    assert.match(junit, /\.xml$/);
    const failOn = option(merge, '--fail-on');
    assert.equal(failOn, '$FAIL_ON');
    const value = str(obj(mergeJob.env, 'drift-merge.env').FAIL_ON, 'FAIL_ON');
    const fallback = /^\$\{\{ inputs\.fail-on \|\| '(\w+)' \}\}$/.exec(value);
    assert.ok(fallback, `FAIL_ON: ${value}`);
    assert.equal(fallback[1], 'failure', 'a scheduled run (no inputs) fails on failed combinations, the default');
    const input = obj(obj(obj(github.on, 'on').workflow_dispatch, 'workflow_dispatch').inputs, 'inputs')['fail-on'];
    assert.deepEqual(obj(input, 'inputs.fail-on').options, FAIL_ON_VALUES);
    assert.equal(obj(input, 'inputs.fail-on').default, 'failure');
  });

  it('uploads the merged folder and JUnit, and publishes the JUnit file as a check', () => {
    const merge = findCommand(runScripts(mergeJob, 'drift-merge'), true);
    const junit = option(merge, '--junit');
    const out = option(merge, '--out');
    const upload = stepUsing(mergeJob, 'drift-merge', 'actions/upload-artifact')[0]!;
    assert.ok(runsAlways(upload.if));
    const paths = str(withOf(upload, 'upload').path, 'path')
      .split('\n')
      .map((p) => p.trim().replace(/\/$/, ''))
      .filter(Boolean);
    assert.ok(paths.includes(out) && paths.includes(junit), `uploads ${out} and ${junit}: ${paths.join(', ')}`);
    const publish = stepUsing(mergeJob, 'drift-merge', 'mikepenz/action-junit-report');
    assert.equal(publish.length, 1, 'mikepenz/action-junit-report publishes the JUnit file');
    assert.ok(runsAlways(publish[0]!.if), 'published also when merge exits 17 or 18');
    assert.equal(withOf(publish[0]!, 'publish').report_paths, junit);
  });

  it('grants only what it needs: contents: read everywhere, checks: write for the JUnit check run', () => {
    assert.deepEqual(github.permissions, { contents: 'read' }, 'the default for every job');
    assert.equal(shardJob.permissions, undefined, 'shards keep the read-only default');
    assert.deepEqual(mergeJob.permissions, { contents: 'read', checks: 'write' });
  });

  it("runs shards and merge in one image (merge refuses shards of other tool versions), as the runner's non-root uid", () => {
    const container = obj(shardJob.container, 'drift-shard.container');
    assert.deepEqual(mergeJob.container, container);
    assert.match(str(container.image, 'container.image'), /xen-dom0-boot/);
    // GitHub starts job containers with its own entry point (tail -f /dev/null): the image's is not run.
    assert.doesNotMatch(githubText, /--entrypoint/);
    // The workspace GitHub mounts belongs to the runner's user (uid 1001 on hosted runners), not
    // to the image's: the jobs must run as that uid to write their run folders there.
    const user = /(?:^|\s)--user[ =](\S+)/.exec(str(container.options, 'container.options'))?.[1];
    assert.equal(user, '1001');
    const imageUser = /^USER (\d+)/m.exec(readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8'))?.[1];
    assert.ok(imageUser !== undefined && imageUser !== '0' && imageUser !== user, `the image's USER ${imageUser} is not the runner's`);
  });
});

// ---------------------------------------------------------------------------------------------
// GitLab CI

const require = createRequire(import.meta.url);
const GITLAB_SCHEMA_ID = 'https://gitlab.com/.gitlab-ci.yml';

/** A literal of the bundle as JSON data; anything that is not data (a call, a variable) throws. */
function literalValue(node: ts.Node): unknown {
  if (ts.isObjectLiteralExpression(node)) {
    const out: Y = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) throw new Error(`not data: ${ts.SyntaxKind[property.kind]}`);
      const name = property.name;
      if (!(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)))
        throw new Error(`not data: key ${ts.SyntaxKind[name.kind]}`);
      out[name.text] = literalValue(property.initializer);
    }
    return out;
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(literalValue);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  // A minifier writes true and false as !0 and !1, and negative numbers as -n.
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    if (node.operator === ts.SyntaxKind.ExclamationToken) return !Number(node.operand.text);
    if (node.operator === ts.SyntaxKind.MinusToken) return -Number(node.operand.text);
  }
  throw new Error(`not data: ${ts.SyntaxKind[node.kind]}`);
}

let gitlabSchemaCache: Y | null = null;
/** GitLab's CI schema as gitlab-ci-local bundles it: the object literal whose $id is GitLab's. */
function gitlabSchema(): Y {
  if (gitlabSchemaCache) return gitlabSchemaCache;
  const bundlePath = require.resolve('gitlab-ci-local/dist/index.js');
  const source = ts.createSourceFile(bundlePath, readFileSync(bundlePath, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: Y[] = [];
  const isSchemaId = (property: ts.ObjectLiteralElementLike): boolean =>
    ts.isPropertyAssignment(property) &&
    (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
    property.name.text === '$id' &&
    ts.isStringLiteral(property.initializer) &&
    property.initializer.text === GITLAB_SCHEMA_ID;
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && node.properties.some(isSchemaId)) found.push(literalValue(node) as Y);
    else ts.forEachChild(node, visit);
  };
  visit(source);
  assert.equal(found.length, 1, `one object with $id ${GITLAB_SCHEMA_ID} in ${bundlePath}`);
  gitlabSchemaCache = found[0]!;
  return gitlabSchemaCache;
}

let gitlabValidator: ValidateFunction | null = null;
/**
 * Ajv, strict about unknown keywords and formats (checked); GitLab's draft-07 schema puts `required`
 * in branches without `type: object` or their own `properties`, which only strictTypes and
 * strictRequired object to.
 */
function validateGitlab(config: unknown): string[] {
  if (!gitlabValidator) {
    const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
    ajvFormats.default(ajv);
    ajv.addVocabulary(['markdownDescription']); // GitLab's editor hints, not validation
    gitlabValidator = ajv.compile(gitlabSchema());
  }
  return gitlabValidator(config) ? [] : (gitlabValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const gitlab = obj(parse(gitlabText), 'gitlab-ci');

/** A job with its `extends` applied the way GitLab does: mappings merged deeply, everything else replaced. */
function resolved(name: string): Y {
  const deepMerge = (base: Y, over: Y): Y => {
    const out: Y = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const prior = out[key];
      const mergeable = (v: unknown): v is Y => v !== null && typeof v === 'object' && !Array.isArray(v);
      out[key] = mergeable(prior) && mergeable(value) ? deepMerge(prior, value) : value;
    }
    return out;
  };
  const job = obj(gitlab[name], name);
  const parents = job.extends === undefined ? [] : [job.extends].flat().map((p) => str(p, `${name}.extends`));
  let out: Y = {};
  for (const parent of parents) out = deepMerge(out, resolved(parent));
  const own = { ...job };
  delete own.extends;
  return deepMerge(out, own);
}
const scriptOf = (job: Y, what: string): string =>
  arr(job.script, `${what}.script`)
    .map((line) => str(line, `${what}.script line`))
    .join('\n');

describe('docker/gitlab-nightly-drift.yml', () => {
  it("reads GitLab's own CI schema, unmodified, out of gitlab-ci-local's bundle", () => {
    const schema = gitlabSchema();
    assert.equal(schema.$id, GITLAB_SCHEMA_ID);
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const definitions = obj(schema.definitions, 'definitions');
    for (const name of ['job_template', 'image', 'rules', 'parallel', 'artifacts']) assert.ok(name in definitions, name);
    // gitlab-ci-local deletes these patterns at run time (src/schema.ts): still here, the literal is GitLab's.
    const includeItem = arr(obj(definitions.include_item, 'include_item').oneOf, 'include_item.oneOf');
    assert.equal(typeof obj(includeItem[0], 'include_item.oneOf[0]').pattern, 'string');
    const jobTemplate = obj(obj(definitions.job_template, 'job_template').properties, 'job_template.properties');
    assert.ok(!('gclInteractive' in jobTemplate), 'no gitlab-ci-local additions (they are made at run time)');
  });

  it("passes GitLab's CI schema, as written and with `extends` applied (the schema does not look into hidden jobs like .drift)", () => {
    assert.deepEqual(validateGitlab(gitlab), []);
    const applied: Y = { ...gitlab };
    for (const name of Object.keys(gitlab).filter((key) => key.startsWith('drift-'))) {
      const job = resolved(name);
      assert.ok(job.image !== undefined && job.rules !== undefined, `${name} gets image and rules from .drift`);
      applied[name] = job;
    }
    assert.deepEqual(validateGitlab(applied), []);
  });

  it("a broken copy fails GitLab's CI schema: parallel as a word, a misspelled report, a misspelled needs key, a bad entrypoint", () => {
    const breakers: [string, (c: Y) => void, string][] = [
      ['parallel: four', (c) => (obj(c['drift-shard'], 'shard').parallel = 'four'), '/drift-shard/parallel'],
      [
        'reports: junitt',
        (c) => (obj(obj(obj(c['drift-merge'], 'merge').artifacts, 'a').reports, 'r').junitt = 'x.xml'),
        '/drift-merge/artifacts/reports',
      ],
      [
        'needs: artifact',
        (c) => (obj(arr(obj(c['drift-merge'], 'merge').needs, 'needs')[0], 'need').artifact = true),
        '/drift-merge/needs/0',
      ],
      [
        'entrypoint: a string',
        (c) => (obj(c['drift-shard'], 'shard').image = { name: 'xen-dom0-boot', entrypoint: '' }),
        '/drift-shard/image',
      ],
    ];
    for (const [what, breakIt, where] of breakers) {
      const copy = structuredClone(gitlab);
      breakIt(copy);
      const errors = validateGitlab(copy);
      assert.ok(errors.length > 0, `${what}: expected errors`);
      assert.ok(
        errors.some((e) => e.startsWith(where)),
        `${what}: expected an error at ${where}, got ${errors.join('; ')}`,
      );
    }
  });

  it('runs on schedules (and by hand), shards and merge alike', () => {
    for (const name of ['drift-shard', 'drift-merge']) {
      const rules = arr(resolved(name).rules, `${name}.rules`).map((r, i) => str(obj(r, `${name}.rules[${i}]`).if, 'if'));
      assert.ok(rules.includes('$CI_PIPELINE_SOURCE == "schedule"'), `${name}: ${rules.join(' / ')}`);
    }
    const ifs = (name: string): string[] => arr(resolved(name).rules, 'rules').map((r) => str(obj(r, 'rule').if, 'if'));
    assert.deepEqual(ifs('drift-merge'), ifs('drift-shard'), 'merge is in every pipeline its needed shards are in');
  });

  it('`parallel: N` shard jobs each run `xen-dom0-boot drift ... --shard auto`, GitLab setting CI_NODE_INDEX/CI_NODE_TOTAL', () => {
    const shard = resolved('drift-shard');
    const n = shard.parallel;
    assert.ok(Number.isInteger(n) && (n as number) >= 2, `parallel: ${String(n)}`);
    const command = findCommand(scriptOf(shard, 'drift-shard'), false);
    assert.equal(option(command, '--shard'), 'auto');
    assert.equal(command.positional.length, 0);
    // CI_NODE_TOTAL must be GitLab's (= parallel): nothing may set it or the index.
    assert.doesNotMatch(gitlabText, /CI_NODE_(INDEX|TOTAL)\s*:/);
    const variables = obj(gitlab.variables, 'variables');
    for (const name of ['--xen', '--memory', '--dom0-mem']) {
      const value = option(command, name);
      assert.match(value, /^\$\w+$/);
      assert.ok(value.slice(1) in variables, `${name} ${value} is a pipeline variable, the same for every shard`);
    }
    assert.ok(/Point it at your Xen builds/.test(gitlabText));
    assert.deepEqual(obj(shard.allow_failure, 'allow_failure').exit_codes, VERDICT_EXITS, '17 and 18 are the merge job verdict');
  });

  it('every shard keeps its own run folder as artifacts, when it failed too', () => {
    const shard = resolved('drift-shard');
    const n = shard.parallel as number;
    const out = option(findCommand(scriptOf(shard, 'drift-shard'), false), '--out');
    const artifacts = obj(shard.artifacts, 'artifacts');
    assert.equal(artifacts.when, 'always');
    const paths = arr(artifacts.paths, 'paths').map((p) => globRegExp(str(p, 'path')));
    const name = str(artifacts.name, 'artifacts.name');
    const folders = shardNumbers(n).map((k) => out.replaceAll('$CI_NODE_INDEX', String(k)));
    assert.equal(new Set(folders).size, n, `distinct folders: ${folders.join(', ')} (they land side by side in drift-merge)`);
    assert.equal(new Set(shardNumbers(n).map((k) => name.replaceAll('$CI_NODE_INDEX', String(k)))).size, n, 'distinct artifact names');
    for (const folder of folders)
      assert.ok(
        paths.some((p) => p.test(`${folder}/`)),
        `artifacts:paths keeps ${folder}/`,
      );
  });

  it('drift-merge is in a later stage, needs every shard with artifacts, runs when they failed, and merges them all', () => {
    const stages = arr(gitlab.stages, 'stages');
    const shard = resolved('drift-shard');
    const merge = resolved('drift-merge');
    assert.ok(stages.indexOf(merge.stage) > stages.indexOf(shard.stage) && stages.indexOf(shard.stage) >= 0);
    assert.deepEqual(merge.needs, [{ job: 'drift-shard', artifacts: true }], 'needs on a parallel job is all of its N jobs');
    const rules = arr(merge.rules, 'rules').map((r) => obj(r, 'rule'));
    assert.ok(rules.length > 0 && rules.every((rule) => rule.when === 'always') && merge.when === undefined, 'when: always in each rule');
    const command = findCommand(scriptOf(merge, 'drift-merge'), true);
    const out = option(findCommand(scriptOf(shard, 'drift-shard'), false), '--out');
    for (const k of shardNumbers(shard.parallel as number)) {
      const folder = `${out.replaceAll('$CI_NODE_INDEX', String(k))}/`;
      assert.ok(
        command.positional.some((dir) => globRegExp(dir.endsWith('/') ? dir : `${dir}/`).test(folder)),
        `merge ${command.positional.join(' ')} takes ${folder}`,
      );
    }
  });

  it('merge gets --junit and --fail-on, reports the JUnit file to GitLab and keeps the merged folder', () => {
    const merge = resolved('drift-merge');
    const command = findCommand(scriptOf(merge, 'drift-merge'), true);
    const junit = option(command, '--junit');
    const out = option(command, '--out');
    assert.equal(option(command, '--fail-on'), '$FAIL_ON');
    const failOn = obj(obj(gitlab.variables, 'variables').FAIL_ON, 'FAIL_ON');
    assert.equal(failOn.value, 'failure');
    assert.deepEqual(failOn.options, FAIL_ON_VALUES);
    const artifacts = obj(merge.artifacts, 'artifacts');
    assert.equal(artifacts.when, 'always');
    assert.equal(obj(artifacts.reports, 'reports').junit, junit);
    const paths = arr(artifacts.paths, 'paths').map((p) => str(p, 'path').replace(/\/$/, ''));
    assert.ok(paths.includes(out) && paths.includes(junit), `keeps ${out} and ${junit}: ${paths.join(', ')}`);
  });

  it("runs the image as it is (its entry point runs the Docker executor's shell: test/docker/dockerfile.test.ts), one image for shards and merge", () => {
    const dockerfile = readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^ENTRYPOINT \["xen-dom0-boot-entrypoint"\]$/m, 'the entry point is docker/entrypoint.sh');
    const images = ['drift-shard', 'drift-merge'].map((name) => obj(resolved(name).image, `${name}.image`));
    for (const image of images) assert.ok(!('entrypoint' in image), 'no entry point override');
    assert.equal(images[0]!.name, images[1]!.name, 'one image: merge refuses shards of other tool versions');
    assert.match(str(images[0]!.name, 'image.name'), /xen-dom0-boot/);
  });
});

describe('docker/README.md', () => {
  it('has the "Nightly drift across CI runners" section naming both files and the exit codes', () => {
    const readme = readFileSync(path.join(DOCKER, 'README.md'), 'utf8');
    const at = readme.indexOf('## Nightly drift across CI runners');
    assert.ok(at >= 0);
    const next = readme.indexOf('\n## ', at + 1);
    const section = readme.slice(at, next < 0 ? undefined : next);
    for (const text of ['github-nightly-drift.yml', 'gitlab-nightly-drift.yml', '17', '18', '--fail-on', 'XEN_BUILDS']) {
      assert.ok(section.includes(text), text);
    }
  });

  const readme = readFileSync(path.join(DOCKER, 'README.md'), 'utf8');
  const yamlBlocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const githubExample = yamlBlocks.find((block) => /^jobs:/m.test(block));
  const gitlabExample = yamlBlocks.find((block) => /^\s+script:/m.test(block));

  it('its GitHub example passes action-validator and has the permissions and user its steps need', () => {
    assert.ok(githubExample, 'a ```yaml block with jobs:');
    assert.deepEqual(validateGithub(githubExample).errors, []);
    const workflow = obj(parse(githubExample), 'example');
    assert.deepEqual(workflow.permissions, { contents: 'read' }, 'actions/checkout with a read-only default');
    const job = obj(Object.values(obj(workflow.jobs, 'jobs'))[0], 'job');
    assert.ok(stepUsing(job, 'example', 'mikepenz/action-junit-report').length === 1);
    assert.deepEqual(job.permissions, { contents: 'read', checks: 'write' }, 'the JUnit action creates a check run');
    assert.match(str(obj(job.container, 'container').options, 'options'), /--user 1001\b/);
  });

  it("its GitLab example passes GitLab's CI schema and runs the image as it is", () => {
    assert.ok(gitlabExample, 'a ```yaml block with script:');
    const config = obj(parse(gitlabExample), 'example');
    assert.deepEqual(validateGitlab(config), []);
    const job = obj(Object.values(config)[0], 'job');
    assert.equal(typeof job.image, 'string', 'an image name, no entrypoint override');
    assert.equal(obj(obj(job.artifacts, 'artifacts').reports, 'reports').junit, 'junit.xml');
  });
});
