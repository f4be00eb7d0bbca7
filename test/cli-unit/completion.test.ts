/**
 * `completion bash` and `completion zsh`, run in the real shells: bash's function called with
 * COMP_WORDS/COMP_CWORD set, zsh's through its completion system on a pseudo-terminal
 * (test/helpers/zsh-complete.zsh). Both must offer the commands, each command's own options,
 * files or folders for path options and the words an option takes.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { parse } from '../../src/cli/argv.js';
import { ROOT } from '../helpers/cli.js';
import { commandWords, EXPECTED } from '../helpers/cli-options.js';
import { tempDir } from '../helpers/tmp.js';

/** The script `completion <shell>` prints, in a file; and a folder of files and folders to complete. */
function setup(shell: 'bash' | 'zsh'): { script: string; cwd: string } {
  const parsed = parse(['completion', shell]);
  assert.equal(parsed.kind, 'print');
  const cwd = tempDir(`complete-${shell}`);
  const script = path.join(cwd, `script.${shell}`);
  writeFileSync(script, (parsed as { text: string }).text);
  for (const dir of ['runs', 'rundir']) mkdirSync(path.join(cwd, dir));
  for (const file of ['readme.txt', 'a b.txt']) writeFileSync(path.join(cwd, file), '');
  return { script, cwd };
}

const sorted = (words: string[]) => [...new Set(words.filter(Boolean))].sort();

/** What bash's completion function puts in COMPREPLY for `words` (the last one being completed). */
async function bashOffers(script: string, cwd: string, words: string[]): Promise<string[]> {
  const body =
    'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _xen_dom0_boot; printf "%s\\n" "${COMPREPLY[@]}"';
  const { stdout } = await execa('bash', ['--norc', '--noprofile', '-c', body, 'bash', script, 'xen-dom0-boot', ...words], { cwd });
  return sorted(stdout.split('\n'));
}

/** What zsh offers when `line` is typed after the command name and Tab is pressed. */
async function zshOffers(script: string, cwd: string, line: string): Promise<string[]> {
  const harness = path.join(ROOT, 'test', 'helpers', 'zsh-complete.zsh');
  const { stdout } = await execa('zsh', ['-f', harness, script, `xen-dom0-boot ${line}`], { cwd, timeout: 30_000 });
  return sorted(stdout.split('\n'));
}

const TOP = ['learn', 'boot', 'check', 'drift', 'setup', 'completion', 'help'];
const optionsOf = (key: string) => sorted([...EXPECTED[key]!, 'help'].map((o) => `--${o}`));

/** The same cases for both shells: what is typed, and what must be offered. */
const CASES: Array<[string, string[]]> = [
  ['', TOP],
  ['bo', ['boot']],
  ['boot --pri', ['--pristine']],
  ['boot --im', []],
  ['learn --im', ['--image']],
  ['learn --out r', ['rundir', 'runs']],
  ['learn --config r', ['readme.txt', 'rundir', 'runs']],
  ['boot --builder ', ['cmake', 'demo', 'west']],
  ['learn --log-level d', ['debug']],
  ['learn --memory ', []],
  ['drift me', ['merge']],
  ['drift merge r', ['rundir', 'runs']],
  ['help dr', ['drift']],
  ['help drift ', ['merge']],
  ['completion ', ['bash', 'zsh']],
  ['setup --xen ', ['4.20']],
];

/** bash's words for a typed line: split on spaces, the last (maybe empty) being completed. */
const bashWords = (line: string) => line.split(' ');

describe('completion bash', () => {
  const { script, cwd } = setup('bash');

  it('registers its function for the command', async () => {
    const { stdout } = await execa('bash', ['--norc', '--noprofile', '-c', 'source "$1" && complete -p xen-dom0-boot', 'bash', script]);
    assert.equal(stdout, 'complete -F _xen_dom0_boot xen-dom0-boot');
  });

  for (const [line, offered] of CASES) {
    it(`"${line}" offers ${offered.join(' ') || 'nothing'}`, async () => {
      assert.deepEqual(await bashOffers(script, cwd, bashWords(line)), sorted(offered));
    });
  }

  it('offers each command exactly its options', async () => {
    for (const key of Object.keys(EXPECTED)) {
      const words = [...commandWords(key).slice(0, key.split(' ').length), '--'];
      assert.deepEqual(await bashOffers(script, cwd, words), optionsOf(key), key);
    }
  });

  it('completes --out=DIR (bash splits it at "=") and a file name with a space', async () => {
    assert.deepEqual(await bashOffers(script, cwd, ['learn', '--out', '=', 'run']), ['rundir', 'runs']);
    assert.deepEqual(await bashOffers(script, cwd, ['learn', '--config', 'a']), ['a b.txt']);
  });
});

describe('completion zsh', () => {
  const { script, cwd } = setup('zsh');

  it('is valid zsh, loadable from $fpath (#compdef) or sourced', async () => {
    await execa('zsh', ['-n', script]);
    assert.match(await execa('zsh', ['-f', '-c', 'head -1 "$1"', 'zsh', script]).then((r) => r.stdout), /^#compdef xen-dom0-boot$/);
  });

  for (const [line, offered] of CASES) {
    it(`"${line}" offers ${offered.join(' ') || 'nothing'}`, async () => {
      assert.deepEqual(await zshOffers(script, cwd, line), sorted(offered));
    });
  }

  it('offers each command exactly its options', async () => {
    for (const key of Object.keys(EXPECTED)) {
      assert.deepEqual(await zshOffers(script, cwd, `${key} --`), optionsOf(key), key);
    }
  });

  it('works loaded from $fpath as _xen-dom0-boot (its #compdef line), not only sourced', async () => {
    const dir = tempDir('fpath');
    const autoloaded = path.join(dir, '_xen-dom0-boot');
    copyFileSync(script, autoloaded);
    assert.deepEqual(await zshOffers(autoloaded, cwd, 'drift merge a --b'), ['--baseline', '--bundle']);
    assert.deepEqual(await zshOffers(autoloaded, cwd, 'ch'), ['check']);
  });

  it('completes --out=DIR and a repeatable option again', async () => {
    assert.deepEqual(await zshOffers(script, cwd, 'learn --out=r'), ['rundir', 'runs']);
    assert.deepEqual(await zshOffers(script, cwd, 'learn --xen-args a --xen-a'), ['--xen-args']);
  });
});
