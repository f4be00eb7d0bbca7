/** Picks the builder from the config and where its overlay, lock and build directory go by default. */
import path from 'node:path';
import type { Config } from '../config/load.js';
import type { BuildConfig, ZephyrToolchain } from '../config/schema.js';
import { ToolError } from '../base/errors.js';
import { STATE_DIR } from '../base/paths.js';
import { compileLinePattern, type LinePattern } from '../serial/line-pattern.js';
import { commandBuilder } from './command.js';
import { demoBuilder } from './demo.js';
import type { Builder } from './types.js';
import { cmakeBuilder, westBuilder, ZEPHYR_SUCCESS, type ZephyrApp } from './zephyr.js';
import { zephyrImage } from './zephyr-env.js';

export const OVERLAY_NAME = 'xen-dom0.overlay';

export interface BuildSetup {
  builder: Builder;
  /** The overlay the tool maintains: the demo's in .state/, a Zephyr app's next to the app. */
  overlay: string;
  buildDir: string;
  /** Where the build leaves its image: an earlier build's is the size a probe boot's stand-in takes. */
  image: string;
  successPatterns: LinePattern[];
  failurePattern: LinePattern | null;
}

/** The west/cmake builders' app with every default filled in (toolchain: Zephyr's SDK unless the config says cross-compile). */
export function zephyrAppOf(build: Extract<BuildConfig, { type: 'west' | 'cmake' }>): ZephyrApp & { toolchain: ZephyrToolchain } {
  return {
    app: build.app,
    board: build.board ?? 'qemu_cortex_a53',
    snippet: build.snippet ?? 'xen_dom0',
    extraOverlays: build.extraOverlays ?? [],
    cmakeArgs: build.cmakeArgs ?? [],
    toolchain: build.toolchain ?? 'zephyr-sdk',
  };
}

export function selectBuilder(config: Config): BuildSetup {
  const build = config.build;
  let builder: Builder;
  let overlay: string;
  let buildDir: string;
  switch (build.type) {
    case 'demo':
      builder = demoBuilder;
      overlay = path.join(STATE_DIR, 'dom0-demo', OVERLAY_NAME);
      buildDir = build.buildDir ?? path.join(STATE_DIR, 'dom0-demo', 'build');
      break;
    case 'west':
    case 'cmake': {
      const app = zephyrAppOf(build);
      builder = build.type === 'west' ? westBuilder(app) : cmakeBuilder(app);
      overlay = path.join(build.app, OVERLAY_NAME);
      buildDir = build.buildDir ?? path.join(build.app, 'build-xen-dom0');
      break;
    }
    case 'command':
      if (!config.overlay) {
        // Each command project needs its own overlay and lock; a shared default would mix projects.
        // build.type "command" comes only from a config file (--builder command is refused): its section is incomplete.
        throw new ToolError(
          'CONFIG_INVALID',
          'config',
          'build.type "command": set "overlay" (or --overlay FILE): where the overlay and its lock live for this project',
        );
      }
      builder = commandBuilder({
        argv: build.argv,
        image: build.image,
        cwd: build.cwd,
        successPatterns: ZEPHYR_SUCCESS,
        failurePattern: null,
      });
      overlay = config.overlay;
      buildDir = build.buildDir ?? path.join(path.dirname(config.overlay), 'build-xen-dom0');
      break;
  }
  const success = config.successPatterns ?? builder.successPatterns;
  const failure = config.failurePattern ?? builder.failurePattern;
  // Absolute: the image path goes to QEMU, which runs in the pass folder, not here.
  buildDir = path.resolve(buildDir);
  return {
    builder,
    overlay: config.overlay ?? overlay,
    buildDir,
    image: build.type === 'command' ? build.image : zephyrImage(buildDir),
    // Linear-time matching whatever the user wrote: a pattern cannot stall the deadlines (line-pattern.ts).
    successPatterns: success.map((p) => compileLinePattern(p, '--success (successPatterns)')),
    failurePattern: failure ? compileLinePattern(failure, '--failure (failurePattern)') : null,
  };
}
