/** The help texts: the global page with the commands and every exit code, each command's own with exactly its options, 80 columns. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeRows } from '../../src/base/errors.js';
import { parse } from '../../src/cli/argv.js';
import { EXPECTED } from '../helpers/cli-options.js';

/** What `argv` prints (help asked for). */
function printed(argv: string[]): string {
  const parsed = parse(argv);
  assert.equal(parsed.kind, 'print', `${argv.join(' ')}: ${JSON.stringify(parsed)}`);
  return (parsed as { text: string }).text;
}

const COMMANDS = ['learn', 'boot', 'check', 'drift', 'drift merge', 'setup', 'completion', 'help'];

describe('the global help (--help, -h, help)', () => {
  const help = printed(['--help']);

  it('is the same page however asked', () => {
    assert.equal(printed(['-h']), help);
    assert.equal(printed(['help']), help);
  });

  it('lists every command, says how to get its help, and lists no command option', () => {
    const section = help.slice(help.indexOf('Commands:'), help.indexOf('Options:'));
    for (const command of COMMANDS) assert.match(section, new RegExp(`^  ${command}( <[^>]+>| \\[[^\\]]+\\])? +\\S`, 'm'), command);
    assert.match(help, /xen-dom0-boot help <command>/);
    assert.doesNotMatch(help.slice(0, help.indexOf('Exit codes:')), /--dom0-mem|--pristine|--print-qemu-cmd/);
  });

  it('has every exit code with its number and its whole meaning, from the one table', () => {
    const table = help.slice(help.indexOf('Exit codes:\n') + 'Exit codes:\n'.length);
    const rows = table.split(/\n(?= +\d+ +[A-Z0-9_]+ )/);
    assert.equal(rows.length, codeRows().length);
    for (const row of codeRows()) {
      const text = rows.find((r) => new RegExp(`^ +${row.exit} +${row.code} `).test(r));
      assert.ok(text, `${row.code} in --help`);
      const meaning = text
        .replace(/^ +\d+ +[A-Z0-9_]+ +/, '')
        .replace(/\s*\n\s*/g, ' ')
        .trim();
      assert.equal(meaning, row.meaning);
    }
  });
});

describe("each command's help", () => {
  for (const command of COMMANDS.filter((c) => c !== 'help')) {
    const words = command.split(' ');
    it(`${command}: "${command} --help" and "help ${command}" print its usage and exactly its options`, () => {
      const help = printed([...words, '--help']);
      assert.equal(printed(['help', ...words]), help);
      assert.equal(printed([...words, '-h']), help);
      assert.match(help, new RegExp(`^Usage: xen-dom0-boot ${command} `));
      const options = help
        .slice(help.indexOf('Options:'), help.indexOf('Commands:') === -1 ? undefined : help.indexOf('Commands:'))
        .match(/^ {2}(-h, )?--[a-z0-9-]+/gm)!
        .map((o) => o.replace(/^ +(-h, )?--/, ''));
      assert.deepEqual(options.sort(), [...(EXPECTED[command] ?? []), 'help'].sort());
    });
  }

  it('drift lists its subcommand merge', () => {
    assert.match(printed(['drift', '--help']), /^Commands:\n {2}merge +join drift --shard run folders into one$/m);
  });
});

describe('help fits 80 columns', () => {
  it('every line of every help text', () => {
    const texts = [printed(['--help']), ...COMMANDS.map((c) => printed(['help', ...c.split(' ')]))];
    for (const line of texts.flatMap((t) => t.split('\n'))) assert.ok(line.length <= 80, `${line.length}: ${line}`);
  });
});
