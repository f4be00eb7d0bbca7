/**
 * Pure: how progress and the --verbose log show on stderr, from the stream and an environment (never
 * process.env read at import time): a live view, plain lines, colour or not.
 */
import vendors from 'ci-info/vendors.json' with { type: 'json' };

export type Env = Record<string, string | undefined>;

/** The stream as the decision sees it: a TTY or not, and what colours it has (tty.WriteStream.hasColors). */
export interface StreamLike {
  isTTY?: boolean;
  hasColors?(count?: number, env?: object): boolean;
}

export interface Display {
  /** A view redrawn in place (a terminal, not CI, not TERM=dumb); else one plain line per step. */
  live: boolean;
  /** A person reads it: --verbose prints the human log (a terminal outside CI, TERM=dumb included); else JSON lines. */
  human: boolean;
  /** SGR colour codes: only in the live view, when the terminal has colours and NO_COLOR does not say no. */
  colour: boolean;
}

type Check = string | { env: string; includes: string } | { any: string[] } | Record<string, string>;

const set = (value: string | undefined): boolean => value !== undefined && value !== '';

/** ci-info's vendor-neutral variables: any of them set (and CI not "false") means CI. */
const GENERIC = [
  'BUILD_ID',
  'BUILD_NUMBER',
  'CI',
  'CI_APP_ID',
  'CI_BUILD_ID',
  'CI_BUILD_NUMBER',
  'CI_NAME',
  'CONTINUOUS_INTEGRATION',
  'RUN_ID',
];

function matches(env: Env, check: Check): boolean {
  if (typeof check === 'string') return set(env[check]);
  if ('env' in check && 'includes' in check) return env[check.env as string]?.includes(check.includes as string) === true;
  if ('any' in check && Array.isArray(check.any)) return check.any.some((key) => set(env[key]));
  return Object.entries(check as Record<string, string>).every(([key, value]) => env[key] === value);
}

/**
 * True on a CI server, decided as ci-info decides (its own vendor list, ci-info/vendors.json), but for
 * the environment given: ci-info's exports read process.env once, at import. `CI=false` is never CI.
 */
export function isCI(env: Env): boolean {
  if (env.CI === 'false') return false;
  if (GENERIC.some((key) => set(env[key]))) return true;
  return (vendors as { env: Check | Check[] }[]).some((vendor) => [vendor.env].flat().every((check) => matches(env, check)));
}

/**
 * Colour wanted in a live view: FORCE_COLOR (non-empty) forces it on, or off with 0 or false; else
 * NO_COLOR (non-empty, https://no-color.org) turns it off; else the terminal decides (TERM, COLORTERM,
 * NODE_DISABLE_COLORS: Node's own hasColors).
 */
export function wantsColour(stream: StreamLike, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (set(force)) return force !== '0' && force !== 'false';
  if (set(env.NO_COLOR)) return false;
  // Those two are decided above, and CI too (Node's own rule takes CI=false for a CI without colours).
  const rest: Env = { ...env };
  delete rest.FORCE_COLOR;
  delete rest.NO_COLOR;
  delete rest.CI;
  return stream.hasColors?.(16, rest) === true;
}

/** The whole decision: live only in a terminal outside CI whose TERM is not dumb; colour only there. */
export function displayOf(stream: StreamLike, env: Env): Display {
  const human = stream.isTTY === true && !isCI(env);
  const live = human && env.TERM !== 'dumb';
  return { live, human, colour: live && wantsColour(stream, env) };
}
