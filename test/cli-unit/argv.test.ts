/** argv as the CLI reads it (commander 14): each command's own options, refusals naming the owner, suggestions, the lenient read. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, type Parsed, type RunArgs } from '../../src/cli/argv.js';
import { ROOT } from '../helpers/cli.js';
import { commandWords, EXPECTED, FLAGS } from '../helpers/cli-options.js';

const ALL = [...new Set(Object.values(EXPECTED).flat())];
const words = commandWords;
const given = (option: string) => (FLAGS.has(option) ? [`--${option}`] : [`--${option}`, 'v']);

function run(argv: string[]): RunArgs {
  const parsed = parse(argv);
  assert.equal(parsed.kind, 'run', JSON.stringify(parsed));
  return parsed as RunArgs;
}

/** The USAGE error's message of `argv`, whatever the parse made of it. */
function refusal(argv: string[]): string {
  const parsed: Parsed = parse(argv);
  const error = parsed.kind === 'fail' || parsed.kind === 'run' ? parsed.error : null;
  assert.ok(error, `${argv.join(' ')}: no error`);
  assert.equal(error.code, 'USAGE');
  assert.equal(error.exitCode, 2);
  assert.ok(!error.message.includes('\n'), error.message);
  return error.message;
}

describe('each command takes its own options', () => {
  for (const [key, options] of Object.entries(EXPECTED)) {
    it(`${key}: takes ${options.length} options and refuses the others, naming the commands they apply to`, () => {
      for (const option of ALL) {
        const argv = [...words(key), ...given(option)];
        if (options.includes(option)) {
          const parsed = parse(argv);
          assert.ok(
            parsed.kind === 'setup' || (parsed.kind === 'run' && parsed.error === null),
            `${argv.join(' ')}: ${JSON.stringify(parsed)}`,
          );
          continue;
        }
        const runOwners = Object.keys(EXPECTED).filter((k) => k !== key && k !== 'setup' && EXPECTED[k]!.includes(option));
        const owners = runOwners.length > 0 ? runOwners : ['setup'];
        const list = owners.length === 1 ? owners[0] : `${owners.slice(0, -1).join(', ')} and ${owners.at(-1)}`;
        assert.match(refusal(argv), new RegExp(`^--${option} applies to ${list}, not ${key} `), argv.join(' '));
      }
    });
  }

  it('refuses what was silently taken before: boot --image, learn --pristine, drift --fix', () => {
    assert.match(refusal(['boot', '--image', 'x']), /^--image applies to learn and drift, not boot \(see xen-dom0-boot boot --help\)$/);
    assert.match(refusal(['learn', '--pristine']), /^--pristine applies to boot and check, not learn /);
    assert.match(refusal(['drift', '--fix']), /^--fix applies to check, not drift /);
    assert.match(refusal(['drift', 'merge', 'a', '--memory', '2G']), /^--memory applies to learn, boot, check and drift, not drift merge /);
  });

  it('reads values as text, repeatable options as lists, flags as true', () => {
    const { values, command } = run(['boot', '--timeout', '7', '--xen-args', 'a', '--xen-args=b c', '--success', 's', '--pristine']);
    assert.equal(command, 'boot');
    assert.deepEqual(values, { timeout: '7', 'xen-args': ['a', 'b c'], success: ['s'], pristine: true });
    assert.deepEqual(run(['drift', '--memory', '2G,6G', '--xen', '4.17,4.20']).values, { memory: '2G,6G', xen: '4.17,4.20' });
  });

  it('drift merge: its folders and its options, none of drift before merge', () => {
    const merge = run(['drift', 'merge', 'a', 'b', '--out', 'o', '--fail-on', 'drift']);
    assert.deepEqual(
      [merge.command, merge.merge, merge.folders, merge.values],
      ['drift', true, ['a', 'b'], { out: 'o', 'fail-on': 'drift' }],
    );
    assert.match(refusal(['drift', '--out', 'o', 'merge', 'a']), /^--out goes after "drift merge"/);
    assert.match(refusal(['drift', '--xen', '4.17', 'merge', 'a']), /^--xen applies to learn, boot, check and drift, not drift merge/);
    assert.match(refusal(['drift', 'merge']), /^missing <folders>: xen-dom0-boot drift merge \[options\] <folders\.\.\.>/);
  });

  it('setup forwards --xen and --zephyr-deps as scripts/setup.sh reads them', () => {
    assert.deepEqual(parse(['setup', '--xen=4.20', '--zephyr-deps']), { kind: 'setup', args: ['--xen', '4.20', '--zephyr-deps'] });
    assert.deepEqual(parse(['setup']), { kind: 'setup', args: [] });
    assert.match(refusal(['setup', '--xen']), /^--xen needs a value: --xen <version>/);
  });
});

describe("mistakes, in the tool's own words", () => {
  it('suggests the command or option meant', () => {
    assert.match(refusal(['boto']), /^unknown command "boto": did you mean boot\? \(see xen-dom0-boot --help\)$/);
    assert.match(refusal(['lern']), /^unknown command "lern": did you mean learn\?/);
    assert.match(
      refusal(['learn', '--dom0mem', '1G']),
      /^unknown option --dom0mem for learn: did you mean --dom0-mem\? \(see xen-dom0-boot learn --help\)$/,
    );
    assert.match(refusal(['learn', '--dom0mem=1G']), /^unknown option --dom0mem for learn: did you mean --dom0-mem\?/);
    assert.match(refusal(['boot', '--max-pass', '3']), /did you mean --max-passes\?/);
    assert.match(refusal(['drift', 'merge', 'a', '--fail-of', 'drift']), /did you mean --fail-on\?/);
    assert.match(refusal(['help', 'chek']), /^help: unknown command "chek": did you mean check\?/);
    assert.match(refusal(['--verison']), /^unknown option --verison: did you mean --version\?/);
  });

  it("names what is wrong without a guess when there is none, never in parseArgs' words", () => {
    const messages = [
      refusal(['no-such-command']),
      refusal([]),
      refusal(['learn', '--zzz']),
      refusal(['learn', 'extra']),
      refusal(['drift', 'mrege']),
      refusal(['learn', '--json=yes']),
      refusal(['learn', '--out']),
      refusal(['--out', 'x', 'learn']),
      refusal(['completion', 'fish']),
    ];
    assert.deepEqual(
      messages.map((m) => m.replace(/ \(see xen-dom0-boot.*--help\)$/, '')),
      [
        'unknown command "no-such-command": expected learn, boot, check, drift, setup, completion or help',
        'no command given: expected learn, boot, check, drift, setup, completion or help',
        'unknown option --zzz for learn',
        'unexpected argument "extra" for learn',
        'unexpected argument "mrege" for drift (its subcommand: merge)',
        '--json takes no value (got "--json=yes")',
        '--out needs a value: --out <dir>',
        '--out comes before the command: write the command first (xen-dom0-boot <command> --out ...)',
        'completion: no script for "fish" (expected bash or zsh)',
      ],
    );
    for (const message of messages) assert.doesNotMatch(message, /To specify a positional|error:|Did you/);
  });

  it('keeps the line one short line whatever the words hold (newlines escaped, long ones cut)', () => {
    assert.match(refusal(['learn', '--a\nb']), /^unknown option "--a\\nb" for learn /);
    assert.match(refusal(['bo\not']), /^unknown command "bo\\not": did you mean boot\?/);
    const long = refusal(['y'.repeat(100_000)]);
    assert.match(long, /^unknown command "y{80}\.\.\." \(100000 characters\): expected /);
    assert.ok(long.length < 300, `${long.length} characters`);
    assert.match(
      refusal(['learn', '--timeout', `-${'x'.repeat(500)}`]),
      /\(501 characters\): a value starting with "-" .* write --timeout=VALUE /,
    );
  });

  it('refuses a value that starts with "-" (a forgotten value), as parseArgs did', () => {
    assert.match(refusal(['learn', '--timeout', '-5']), /^--timeout -5: a value starting with "-" reads as an option; write --timeout=-5/);
    assert.equal(run(['learn', '--timeout=-5']).values.timeout, '-5');
    assert.match(refusal(['learn', '--json', '--print-qemu-cmd']), /^--json and --print-qemu-cmd: choose one/);
  });
});

describe('a run with a mistake still reports it', () => {
  it('keeps the command, --out, --junit, --bundle, --json and --verbose a lenient read finds', () => {
    const bad = run(['boot', '--image', 'x', '--out', 'o', '--junit=j.xml', '--bundle', 'b.tgz', '--json', '--verbose']);
    assert.equal(bad.command, 'boot');
    assert.match(bad.error!.message, /--image applies to learn and drift, not boot/);
    assert.deepEqual(bad.values, { out: 'o', junit: 'j.xml', bundle: 'b.tgz', json: true, verbose: true });
    const merge = run(['drift', 'merge', 'a', '--memory', '2G', '--out', 'm']);
    assert.deepEqual([merge.merge, merge.values.out], [true, 'm']);
  });

  it('never takes an option for a folder to write to (`--out --junit j.xml`)', () => {
    const bad = run(['learn', '--out', '--junit', 'j.xml', '--dom0mem', '1G']);
    assert.match(bad.error!.message, /^--out --junit: a value starting with "-" reads as an option/);
    assert.equal(bad.values.out, undefined);
    assert.equal(bad.values.junit, 'j.xml');
  });

  it('is no run when no command is known: the error alone', () => {
    assert.equal(parse(['--out', 'o']).kind, 'fail');
    assert.equal(parse(['setup', '--bogus']).kind, 'fail');
  });
});

describe('-V, --version', () => {
  const version = `xen-dom0-boot ${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`;
  for (const argv of [['-V'], ['--version'], ['learn', '-V'], ['drift', 'merge', '--version']]) {
    it(`${argv.join(' ')} prints the version`, () => assert.deepEqual(parse(argv), { kind: 'print', text: version }));
  }
});
