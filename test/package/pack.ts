/**
 * The package as a user gets it: the working tree's files copied as a clean clone would hold them
 * (no dist/), packed by `npm pack` (whose prepare script builds), installed from the tarball into a
 * scratch folder, and run as a non-root user with a home and a current directory of its own.
 */
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The uid/gid the tool runs as: nobody when the tests run as root (as in CI), else the tests' own non-root user. */
export const USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;

/** One file of `npm pack --json`'s list. */
export interface PackedFile {
  path: string;
  mode: number;
}

/** A folder everyone may enter and read (mkdtemp makes 0700 folders; the non-root user must read the package). */
export function openDir(prefix: string): string {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o755);
  return dir;
}

/** A folder owned by the non-root user (its home, its current directory). */
export function userDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { mode: 0o755 });
  if (USER) chownSync(dir, USER.uid, USER.gid);
  return dir;
}

/** Copies the working tree's tracked and new files (not ignored, not node_modules/.cache/dist) into `dest`, with node_modules linked. */
export async function sourceCopy(dest: string): Promise<void> {
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  for (const rel of listed.stdout.split('\0')) {
    const top = rel.split('/')[0]!;
    if (!rel || ['node_modules', '.cache', 'dist'].includes(top)) continue;
    const from = path.join(ROOT, rel);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the working tree, or a link
    mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    copyFileSync(from, path.join(dest, rel));
    chmodSync(path.join(dest, rel), statSync(from).mode & 0o777);
  }
  symlinkSync(realpathSync(path.join(ROOT, 'node_modules')), path.join(dest, 'node_modules'));
}

/** `npm pack` in `source` into `into`: the tarball's path and its file list. */
export async function pack(source: string, into: string): Promise<{ tarball: string; files: PackedFile[] }> {
  const result = await execa('npm', ['pack', '--json', '--pack-destination', into], { cwd: source, env: { npm_config_loglevel: 'error' } });
  const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { filename: string; files: PackedFile[] }[];
  return { tarball: path.join(into, info!.filename), files: info!.files };
}

/** `npm pack --dry-run --json` (no scripts): what a pack of `source` would hold. */
export async function dryRunFiles(source: string): Promise<string[]> {
  const result = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: source,
    env: { npm_config_loglevel: 'error' },
  });
  const [info] = JSON.parse(result.stdout) as { files: PackedFile[] }[];
  return info!.files.map((f) => f.path).sort();
}

/** Installs the tarball into `prefix` as a project dependency, with production dependencies only. */
export async function installTarball(tarball: string, prefix: string): Promise<void> {
  await execa('npm', ['install', '--prefix', prefix, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    env: { npm_config_loglevel: 'error' },
  });
}

/** Every entry under `dir` with its size, mode and modification time, to prove nothing was written there. */
export function listing(dir: string, rel = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const entry = path.join(rel, name);
    const st = lstatSync(path.join(dir, entry));
    lines.push(`${entry} ${st.size} ${(st.mode & 0o7777).toString(8)} ${st.mtimeMs}`);
    if (st.isDirectory()) lines.push(...listing(dir, entry));
  }
  return lines;
}

/** Runs `file args` as the non-root user in `cwd`, with only HOME and PATH (node's folder first) set. */
export async function runAsUser(file: string, args: string[], cwd: string, home: string, extraPath = '') {
  const PATH = [extraPath, path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].filter(Boolean).join(':');
  const env = ['env', '-i', `HOME=${home}`, `PATH=${PATH}`];
  const [cmd, ...argv] = USER ? ['setpriv', `--reuid=${USER.uid}`, `--regid=${USER.gid}`, '--clear-groups', ...env] : env;
  const result = await execa(cmd!, [...argv, file, ...args], { cwd, reject: false, timeout: 300_000, all: true });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), all: String(result.all) };
}
