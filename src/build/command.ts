/** Builder for any build system: the user's argv with {overlay}, {conf} and {outDir} placeholders, and the image it makes. */
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { ToolError } from '../base/errors.js';
import { runBuildStep } from './run-build.js';
import path from 'node:path';
import type { Builder, BuildOutputs } from './types.js';

export interface CommandSpec {
  argv: string[];
  image: string;
  cwd?: string;
  successPatterns: string[];
  failurePattern: string | null;
}

/** Replaces {overlay}, {conf} and {outDir} in every argument (no shell: each stays one argument). */
export function fillPlaceholders(value: string, vars: { overlay: string; conf: string; outDir: string }): string {
  return value.replaceAll('{overlay}', vars.overlay).replaceAll('{conf}', vars.conf).replaceAll('{outDir}', vars.outDir);
}

/** Zephyr's outputs beside the image (zephyr.elf, .config, zephyr.dts), checked when they exist. */
export const outputsBeside = (image: string): BuildOutputs => ({
  elf: path.join(path.dirname(image), 'zephyr.elf'),
  dotConfig: path.join(path.dirname(image), '.config'),
  devicetree: path.join(path.dirname(image), 'zephyr.dts'),
});

export function commandBuilder(spec: CommandSpec): Builder {
  return {
    kind: 'command',
    successPatterns: spec.successPatterns,
    failurePattern: spec.failurePattern,
    async build(request) {
      const vars = { overlay: request.overlay, conf: request.confFile ?? '', outDir: request.buildDir };
      const [file, ...argv] = spec.argv.map((a) => fillPlaceholders(a, vars));
      if (!file) throw new ToolError('CONFIG_INVALID', 'config', 'build.argv: empty command');
      // --pristine was done by the pipeline (build-dir.ts): it deletes only what the tool's builds made.
      await mkdir(request.buildDir, { recursive: true });
      // A missing cwd makes spawn fail with ENOENT, which would read as the command not being found.
      if (spec.cwd && !(await stat(spec.cwd).catch(() => null))?.isDirectory()) {
        throw new ToolError('INPUT_NOT_FOUND', 'config', `build.cwd ${spec.cwd}: no such folder (the build command runs there)`);
      }
      const t0 = performance.now();
      await runBuildStep({ file, argv, cwd: spec.cwd }, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'build command' });
      const image = fillPlaceholders(spec.image, vars);
      if (!existsSync(image))
        throw new ToolError('BUILD_FAILED', 'build', `build command succeeded but its image ${image} (build.image) is missing`);
      return {
        image,
        imageSize: (await stat(image)).size,
        ms: Math.round(performance.now() - t0),
        commands: [[file, ...argv]],
        outputs: outputsBeside(image),
      };
    },
  };
}
