/** Headless chromium (Debian's package, installed by scripts/setup.sh) for tests that need a real browser. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { processesMentioning } from './procs.js';

/**
 * Prints the DOM of `url` once loaded (`--dump-dom`). Chromium runs in its own process group, killed whole when
 * it ends or after `timeoutMs`. Its profile, config and cache stay in `dir`, so every process it starts names
 * `dir` (crashpad's handler too, which leaves the group): chromiumLeftovers(dir) finds them afterwards.
 */
export function dumpDom(url: string, dir: string, timeoutMs: number): Promise<string> {
  const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--no-first-run'];
  args.push('--disable-extensions', `--user-data-dir=${path.join(dir, 'profile')}`, '--window-size=1450,1700', '--dump-dom', url);
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CACHE_HOME: path.join(dir, 'cache') };
  return new Promise((resolve, reject) => {
    const child = spawn('chromium', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`chromium did not finish within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run chromium (npm run setup installs it): ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      if (code === 0) resolve(stdout);
      else reject(new Error(`chromium exited with ${code}; stderr: ${stderr.slice(-2000)}`));
    });
  });
}

/** Chromium processes of `dir` still alive after a grace period; each is then killed by its pid. */
export async function chromiumLeftovers(dir: string, graceMs = 5000): Promise<string[]> {
  for (let waited = 0; waited < graceMs && processesMentioning(dir).length > 0; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const left = processesMentioning(dir);
  for (const entry of left) {
    try {
      process.kill(Number(entry.split(' ')[0]), 'SIGKILL');
    } catch {
      // it ended meanwhile
    }
  }
  return left;
}
