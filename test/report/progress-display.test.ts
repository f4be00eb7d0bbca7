/** Live or plain, human log or JSON, colour or not: the decision over stderr and the environment. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import tty from 'node:tty';
import { describe, it } from 'node:test';
import { displayOf, isCI, type Env } from '../../src/report/progress/display.js';

/** A stream with Node's own tty.WriteStream hasColors (it reads TERM, COLORTERM, NODE_DISABLE_COLORS from the env given). */
const stream = (isTTY: boolean) => Object.assign(Object.create(tty.WriteStream.prototype) as tty.WriteStream, { isTTY });

/** ci-info's own answer for `env`: it reads process.env once, when loaded, so it is loaded afresh under `env`. */
function ciInfoSays(env: Env): boolean {
  const require = createRequire(import.meta.url);
  const saved = process.env;
  process.env = { ...env } as NodeJS.ProcessEnv;
  try {
    delete require.cache[require.resolve('ci-info')];
    return (require('ci-info') as { isCI: boolean }).isCI;
  } finally {
    process.env = saved;
    delete require.cache[require.resolve('ci-info')];
  }
}

const COLOUR_TERM = { TERM: 'xterm-256color' };

describe('the display decision', () => {
  const table: [string, boolean, Env, { live: boolean; human: boolean; colour: boolean }][] = [
    ['a pipe', false, COLOUR_TERM, { live: false, human: false, colour: false }],
    ['a colour terminal', true, COLOUR_TERM, { live: true, human: true, colour: true }],
    ['a terminal without colours (no TERM)', true, {}, { live: true, human: true, colour: false }],
    ['TERM=dumb', true, { TERM: 'dumb' }, { live: false, human: true, colour: false }],
    ['CI=true', true, { ...COLOUR_TERM, CI: 'true' }, { live: false, human: false, colour: false }],
    ['CI=1', true, { ...COLOUR_TERM, CI: '1' }, { live: false, human: false, colour: false }],
    ['CI=false', true, { ...COLOUR_TERM, CI: 'false' }, { live: true, human: true, colour: true }],
    ['CI= (empty)', true, { ...COLOUR_TERM, CI: '' }, { live: true, human: true, colour: true }],
    ['GITHUB_ACTIONS=true', true, { ...COLOUR_TERM, GITHUB_ACTIONS: 'true' }, { live: false, human: false, colour: false }],
    ['GITLAB_CI=true', true, { ...COLOUR_TERM, GITLAB_CI: 'true' }, { live: false, human: false, colour: false }],
    ['Jenkins (BUILD_NUMBER)', true, { ...COLOUR_TERM, BUILD_NUMBER: '7' }, { live: false, human: false, colour: false }],
    [
      'CI=false wins over a vendor',
      true,
      { ...COLOUR_TERM, CI: 'false', GITHUB_ACTIONS: 'true' },
      { live: true, human: true, colour: true },
    ],
    ['NO_COLOR=1', true, { ...COLOUR_TERM, NO_COLOR: '1' }, { live: true, human: true, colour: false }],
    ['NO_COLOR= (empty: ignored)', true, { ...COLOUR_TERM, NO_COLOR: '' }, { live: true, human: true, colour: true }],
    ['FORCE_COLOR=1 without TERM colours', true, { FORCE_COLOR: '1' }, { live: true, human: true, colour: true }],
    ['FORCE_COLOR=1 over NO_COLOR=1', true, { FORCE_COLOR: '1', NO_COLOR: '1' }, { live: true, human: true, colour: true }],
    ['FORCE_COLOR=0', true, { ...COLOUR_TERM, FORCE_COLOR: '0' }, { live: true, human: true, colour: false }],
    ['FORCE_COLOR=false', true, { ...COLOUR_TERM, FORCE_COLOR: 'false' }, { live: true, human: true, colour: false }],
    ['FORCE_COLOR=1 in a pipe (plain: never colour)', false, { FORCE_COLOR: '1' }, { live: false, human: false, colour: false }],
    ['FORCE_COLOR=1 with TERM=dumb (plain)', true, { TERM: 'dumb', FORCE_COLOR: '1' }, { live: false, human: true, colour: false }],
    ['NODE_DISABLE_COLORS=1', true, { ...COLOUR_TERM, NODE_DISABLE_COLORS: '1' }, { live: true, human: true, colour: false }],
  ];
  for (const [what, isTTY, env, expected] of table) {
    it(`${what}: ${expected.live ? 'live' : 'plain'}${expected.human ? ', human log' : ', JSON log'}${expected.colour ? ', colour' : ''}`, () => {
      assert.deepEqual(displayOf(stream(isTTY), env), expected);
    });
  }
});

describe('isCI', () => {
  it('agrees with ci-info itself (loaded under each environment) on vendors, generic variables and CI=false', () => {
    const envs: Env[] = [
      {},
      { CI: 'true' },
      { CI: 'false' },
      { CI: '' },
      { CI: 'false', GITLAB_CI: 'true' },
      { GITHUB_ACTIONS: 'true' },
      { GITLAB_CI: 'true' },
      { BUILDKITE: 'true' },
      { JENKINS_URL: 'http://j', BUILD_ID: '1' },
      { BUILD_ID: '1' },
      { TF_BUILD: 'True' },
      { CI_NAME: 'codeship' },
      { NOW_BUILDER: '1' },
      { NODE: '/app/.heroku/node/bin/node' },
      { NODE: '/usr/bin/node' },
      { TERM: 'xterm', HOME: '/root' },
    ];
    const seen = new Set<boolean>();
    for (const env of envs) {
      const expected = ciInfoSays(env);
      seen.add(expected);
      assert.equal(isCI(env), expected, JSON.stringify(env));
    }
    assert.deepEqual([...seen].sort(), [false, true], 'both answers were exercised');
  });
});
