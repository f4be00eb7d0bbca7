/** `xen-dom0-boot setup`: runs the project's setup script with the given arguments (a stand-in until the npm package work lands). */
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../base/paths.js';

/** Runs scripts/setup.sh with `args` on this terminal; its exit code is setup's. */
export async function runSetup(args: readonly string[]): Promise<number> {
  const result = await execa('bash', [path.join(PROJECT_ROOT, 'scripts', 'setup.sh'), ...args], { stdio: 'inherit', reject: false });
  return result.exitCode ?? 1;
}
