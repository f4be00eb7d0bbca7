/**
 * `xen-dom0-boot setup`: the package's own scripts/setup.sh, so an installed package fills the
 * user's cache exactly as `npm run setup` fills the checkout's (README, Install).
 */
import path from 'node:path';
import { constants } from 'node:os';
import { execa } from 'execa';
import { CACHE_DIR, CACHE_ENV, PROJECT_ROOT } from '../base/paths.js';

/** The script setup runs: the one shipped next to this package's dist/. */
export const SETUP_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'setup.sh');

/** Pure: the exit code of a script that ended with `exitCode` or by `signal` (128 + its number, as a shell gives it). */
export function exitCodeOf(exitCode: number | undefined, signal: string | undefined): number {
  if (exitCode !== undefined) return exitCode;
  const number = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return number === undefined ? 1 : 128 + number;
}

/**
 * Runs scripts/setup.sh with `args` (--xen VERSION, --zephyr-deps, --help) in the terminal (stdin,
 * stdout and stderr inherited: sudo may ask for a password) and the tool's cache folder in
 * $XEN_DOM0_BOOT_CACHE; resolves to the script's exit code (127 when bash cannot be started).
 */
export async function runSetup(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const result = await execa('bash', [SETUP_SCRIPT, ...args], {
    stdio: 'inherit',
    env: { ...env, [CACHE_ENV]: CACHE_DIR },
    extendEnv: false,
    reject: false,
  });
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    process.stderr.write(`xen-dom0-boot setup: cannot run bash ${SETUP_SCRIPT}: ${result.shortMessage}\n`);
    return 127;
  }
  return exitCodeOf(result.exitCode, result.signal);
}
