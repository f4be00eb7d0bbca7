/** Builds the run configuration: defaults, then the --config file, then CLI options. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { isXenVersion } from './xen-choice.js';
import {
  BUILD_OPTION_OF,
  ConfigSchema,
  OPTION_OF,
  PATH_FIELDS,
  PATTERN_ISSUE,
  type BuildConfig,
  type PartialConfig,
  type StartLayoutMode,
} from './schema.js';
import { shown } from '../util/shown.js';

export interface Config {
  profile: string;
  xen?: string;
  qemu?: string;
  image?: string;
  dtb?: string;
  /** From the profile when unset. */
  memory?: string;
  dom0Mem: string;
  xenArgs: string;
  dom0Args: string;
  loadAddr?: string;
  out?: string;
  timeout: number;
  xenTimeout: number;
  logLevel: PartialConfig['logLevel'] & string;
  build: BuildConfig;
  overlay?: string;
  maxPasses: number;
  dom0Timeout: number;
  buildTimeout: number;
  successPatterns?: string[];
  failurePattern?: string;
  pristine: boolean;
  observeDom0: boolean;
  /** Where a boot's first layout comes from when no lock applies (src/pipeline/start-layout.ts). */
  startLayout: StartLayoutMode;
  drift?: PartialConfig['drift'];
}

export const DEFAULTS = {
  profile: 'virt-cortex-a53',
  dom0Mem: '256M',
  xenArgs: '',
  dom0Args: 'console=hvc0',
  timeout: 60,
  xenTimeout: 15,
  logLevel: 'info',
  build: { type: 'demo' } as BuildConfig,
  maxPasses: 3,
  dom0Timeout: 20,
  buildTimeout: 1800,
  pristine: false,
  observeDom0: false,
  startLayout: 'auto',
} as const;

/** Reads and validates a JSON config file; errors name the file and the field. */
/** Removes keys zod named as unknown; returns their dotted paths. */
function stripUnknown(data: unknown, issues: readonly { code: string; path: PropertyKey[]; keys?: string[] }[]): string[] {
  const removed: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys' || !issue.keys) continue;
    let target = data as Record<string, unknown>;
    for (const key of issue.path) target = target[key as string] as Record<string, unknown>;
    for (const key of issue.keys) {
      delete target[key];
      removed.push([...issue.path.map(String), key].join('.'));
    }
  }
  return removed;
}

const warnStderr = (message: string): void => void process.stderr.write(`xen-dom0-boot: warning: ${message}\n`);

/** Reads and validates a JSON config file; errors name the file and the field; unknown fields are warned about and ignored. */
export async function loadConfigFile(file: string, warn: (message: string) => void = warnStderr): Promise<PartialConfig> {
  let text: string;
  try {
    // A FIFO or a device would block the read (and Ctrl-C with it): only a regular file is read.
    const info = await stat(file);
    if (!info.isFile()) {
      throw new ToolError('CONFIG_INVALID', 'config', `config file ${file}: not a regular file (expected a JSON file)`);
    }
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if (cause instanceof ToolError) throw cause;
    throw new ToolError(
      'INPUT_NOT_FOUND',
      'config',
      `config file ${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ToolError('CONFIG_INVALID', 'config', `config file ${file}: not valid JSON: ${(cause as Error).message}`);
  }
  let parsed = ConfigSchema.safeParse(data);
  if (!parsed.success && data !== null && typeof data === 'object') {
    const unknown = stripUnknown(data, parsed.error.issues as never);
    for (const key of unknown) warn(`config file ${file}: unknown field "${key}" ignored`);
    if (unknown.length > 0) parsed = ConfigSchema.safeParse(data);
  }
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.');
      const unknown = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((k) => `"${k}"`).join(', ')}` : '';
      return `${field ? `field "${field}"` : 'top level'}: ${issue.message}${unknown}`;
    });
    throw new ToolError('CONFIG_INVALID', 'config', `config file ${file}: ${issues.join('; ')}`);
  }
  const config = parsed.data;
  const base = path.dirname(path.resolve(file));
  for (const field of PATH_FIELDS) {
    const value = config[field];
    // "xen": "4.20" names the copy setup fetched, not a file beside the config.
    if (value !== undefined && !(field === 'xen' && isXenVersion(value))) config[field] = path.resolve(base, value);
  }
  if (config.build) config.build = resolveBuildPaths(config.build, base);
  if (config.profile?.endsWith('.json')) config.profile = path.resolve(base, config.profile);
  return config;
}

/** Paths inside `build` are relative to the config file too. */
function resolveBuildPaths(build: BuildConfig, base: string): BuildConfig {
  const r = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  switch (build.type) {
    case 'demo':
      return { ...build, buildDir: r(build.buildDir) };
    case 'command':
      return {
        ...build,
        buildDir: r(build.buildDir),
        cwd: r(build.cwd),
        image: build.image.startsWith('{') ? build.image : path.resolve(base, build.image),
      };
    default:
      return {
        ...build,
        app: path.resolve(base, build.app),
        buildDir: r(build.buildDir),
        extraOverlays: build.extraOverlays?.map((o) => path.resolve(base, o)),
      };
  }
}

/** Validates values that came from CLI options; errors name the option. */
export function validateOverrides(overrides: Record<string, unknown>): PartialConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = ConfigSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] as keyof PartialConfig | undefined;
    // A bad `build` field names its own option (--toolchain, --board) and value, not --builder and the whole section.
    const buildField = field === 'build' ? String(issue.path[1] ?? '') : '';
    const nested = Object.hasOwn(BUILD_OPTION_OF, buildField) && issue.path.length === 2;
    const option = nested ? BUILD_OPTION_OF[buildField] : field ? OPTION_OF[field] : 'options';
    // A refused pattern names itself in the message (no "got"): still a command-line error, like any other option's.
    if (issue.code === 'custom' && issue.params?.kind === PATTERN_ISSUE)
      throw new ToolError('USAGE', 'config', `${option}: ${issue.message}`);
    let got = nested ? (defined.build as Record<string, unknown>)[buildField] : field ? defined[field] : undefined;
    if (Array.isArray(got) && typeof issue.path[1] === 'number') got = got[issue.path[1]];
    const value = field ? ` (got ${shown(got)})` : '';
    throw new ToolError('USAGE', 'config', `${option}: ${issue.message}${value}`);
  }
  const config = parsed.data;
  for (const field of PATH_FIELDS) {
    const v = config[field];
    if (v !== undefined && !(field === 'xen' && isXenVersion(v))) config[field] = path.resolve(v);
  }
  return config;
}

/** Defaults, then the file, then the CLI: later wins field by field. */
export function mergeConfig(...parts: PartialConfig[]): Config {
  const merged: PartialConfig = { ...DEFAULTS };
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged as Config;
}
