/**
 * Builder for the dom0-demo guest, shaped like a Zephyr build so CI meets Zephyr's failures:
 * board tree + snippet + application overlay preprocessed and merged by dtc into
 * `zephyr/zephyr.dts`; a configuration (`zephyr/.config`) made only when the build folder is
 * new or a fragment changed, whose CONFIG_SRAM_BASE_ADDRESS sets the link address.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/fresh-file.js';
import { writeFailure } from '../util/write-error.js';
import path from 'node:path';
import { parseDts, type DtTree } from '../devicetree/parse.js';
import { findTargets, SNIPPET_TARGETS } from '../devicetree/targets.js';
import { PROJECT_ROOT } from '../base/paths.js';
import { requireTool } from '../util/require-tool.js';
import { TOOL } from '../base/version.js';
import { hex } from '../xen/layout.js';
import { dom0Values } from '../devicetree/dom0-values.js';
import { demoAutoconf, demoConfigHeader } from './demo-config.js';
import { parseDotConfig } from './dotconfig.js';
import { runBuildStep, type BuildStep } from './run-build.js';
import type { Builder, BuildRequest, BuildResult, BuildOutputs } from './types.js';

export const DEMO_SOURCE = path.join(PROJECT_ROOT, 'example', 'dom0-demo');
/** The demo's stand-in for Zephyr's xen_dom0 snippet overlay, applied before the application's. */
export const DEMO_SNIPPET = path.join(DEMO_SOURCE, 'snippet', 'xen_dom0.overlay');
const PRJ_CONF = path.join(DEMO_SOURCE, 'prj.conf');
const CC = 'aarch64-linux-gnu-gcc';
const OBJCOPY = 'aarch64-linux-gnu-objcopy';
const CFLAGS = [
  '-O2',
  '-ffreestanding',
  '-fno-builtin',
  '-nostdlib',
  '-fno-pie',
  '-fno-stack-protector',
  '-mgeneral-regs-only',
  '-mstrict-align',
  '-Wall',
  '-Werror',
];

/** Pure: overlays.dtsi, which board.dts includes: each overlay in order (snippet first, ours last). */
export function overlaysInclude(overlays: readonly string[]): string {
  return overlays.map((file) => `#include "${path.resolve(file)}"\n`).join('');
}

/** Pure: the devicetree half (cpp, then dtc merging into zephyr.dts), as Zephyr's build does it. */
export function demoDtSteps(dir: string): BuildStep[] {
  const pre = path.join(dir, 'zephyr.dts.pre');
  return [
    {
      file: CC,
      argv: [
        '-E',
        '-P',
        '-x',
        'assembler-with-cpp',
        '-nostdinc',
        '-undef',
        '-D__DTS__',
        '-I',
        path.join(DEMO_SOURCE, 'include'),
        '-I',
        dir,
        '-o',
        pre,
        path.join(DEMO_SOURCE, 'board.dts'),
      ],
    },
    { file: 'dtc', argv: ['-q', '-I', 'dts', '-O', 'dts', '-o', path.join(dir, 'zephyr.dts'), pre] },
  ];
}

/** Pure: the code half (compile, link at CONFIG_SRAM_BASE_ADDRESS, flat binary). */
export function demoCodeSteps(dir: string): BuildStep[] {
  const inc = ['-I', dir];
  return [
    { file: CC, argv: [...CFLAGS, ...inc, '-c', '-o', path.join(dir, 'start.o'), path.join(DEMO_SOURCE, 'start.S')] },
    { file: CC, argv: [...CFLAGS, ...inc, '-c', '-o', path.join(dir, 'main.o'), path.join(DEMO_SOURCE, 'main.c')] },
    { file: CC, argv: ['-E', '-P', '-x', 'c', ...inc, '-o', path.join(dir, 'link.ld'), path.join(DEMO_SOURCE, 'link.ld.S')] },
    {
      file: CC,
      argv: [
        '-nostdlib',
        '-static',
        '-no-pie',
        '-Wl,--build-id=none',
        '-Wl,--no-warn-rwx-segments',
        '-Wl,-T',
        '-Wl,' + path.join(dir, 'link.ld'),
        '-o',
        path.join(dir, 'zephyr.elf'),
        path.join(dir, 'start.o'),
        path.join(dir, 'main.o'),
      ],
    },
    { file: OBJCOPY, argv: ['-O', 'binary', path.join(dir, 'zephyr.elf'), path.join(dir, 'zephyr.bin')] },
  ];
}

/** Pure: the configuration from the fragments (in order, later wins), defaulting the SRAM to the chosen node's reg. */
export function demoConfig(fragments: readonly string[], tree: DtTree): Map<string, string> {
  const values = dom0Values(tree);
  const config = new Map([
    ['CONFIG_SRAM_BASE_ADDRESS', hex(values.memoryReg[0]!)],
    ['CONFIG_SRAM_SIZE', String(values.memoryReg[1]! / 1024n)],
  ]);
  for (const text of fragments) for (const [key, value] of parseDotConfig(text)) config.set(key, value);
  return config;
}

export type Run = (step: BuildStep) => Promise<void>;

/** A folder of the demo's inside the build folder; a file in its way is named (OUTPUT_WRITE_FAILED), not INTERNAL. */
async function makeBuildFolder(dir: string): Promise<void> {
  await makeDirs(dir).catch((error: unknown) => {
    throw writeFailure(error, dir, { what: 'the build folder', stage: 'build' });
  });
}

/** Merges board, snippet and `overlays` into `<dir>/zephyr.dts` and parses it. */
export async function mergeDevicetree(dir: string, overlays: readonly string[], run: Run): Promise<DtTree> {
  await makeBuildFolder(dir);
  await writeFile(path.join(dir, 'overlays.dtsi'), overlaysInclude([DEMO_SNIPPET, ...overlays]));
  for (const step of demoDtSteps(dir)) await run(step);
  const file = path.join(dir, 'zephyr.dts');
  return parseDts(await readFile(file, 'utf8'), file);
}

/** Makes `.config` when there is none or the fragments' checksum changed (not when the devicetree did). */
async function configure(dir: string, confFiles: readonly string[], tree: DtTree, log: string): Promise<Map<string, string>> {
  const texts = await Promise.all(confFiles.map((f) => readFile(f, 'utf8')));
  const checksum = createHash('sha256').update(JSON.stringify(texts)).digest('hex');
  const dotConfig = path.join(dir, '.config');
  const sumFile = path.join(dir, '.cmake.dotconfig.checksum');
  if (existsSync(dotConfig) && (await readFile(sumFile, 'utf8').catch(() => '')) === checksum) {
    await appendFile(log, `configuration unchanged: keeping ${dotConfig}\n`);
    return parseDotConfig(await readFile(dotConfig, 'utf8'));
  }
  const config = demoConfig(texts, tree);
  await writeFile(dotConfig, [...config].map(([k, v]) => `${k}=${v}\n`).join(''));
  await writeFile(sumFile, checksum);
  await appendFile(log, `configuration made from ${confFiles.join(', ')}: ${dotConfig}\n`);
  return config;
}

/** Hash of everything the image is made from: the overlay and fragment texts, the guest's sources, flags, tool version. */
async function inputsHash(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ CFLAGS, version: TOOL.version, files }));
  for (const file of files) hash.update(await readFile(file));
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else hash.update(entry.name).update(await readFile(file));
    }
  };
  await walk(DEMO_SOURCE);
  return hash.digest('hex');
}

function requireTools(): void {
  requireTool(CC, 'gcc-aarch64-linux-gnu');
  requireTool(OBJCOPY, 'binutils-aarch64-linux-gnu');
  requireTool('dtc', 'device-tree-compiler');
}

const stepRunner =
  (request: Pick<BuildRequest, 'logFile' | 'timeoutMs'>): Run =>
  (step) =>
    runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'dom0-demo build' });

export const demoBuilder: Builder = {
  kind: 'demo',
  successPatterns: ['^dom0-demo: match$', '^\\*\\*\\* Booting dom0-demo .+ \\*\\*\\*$'],
  failurePattern: '^dom0-demo: FAIL',
  targetsGuess: SNIPPET_TARGETS,
  async baseDevicetree(request) {
    requireTools();
    const dir = path.join(request.buildDir, 'base');
    await mergeDevicetree(dir, [], stepRunner(request));
    return path.join(dir, 'zephyr.dts');
  },
  async build(request: BuildRequest): Promise<BuildResult> {
    requireTools();
    const t0 = performance.now();
    const dir = path.join(request.buildDir, 'zephyr');
    // --pristine was done by the pipeline (build-dir.ts), deleting only what the tool's builds made; here it means: reuse nothing.
    await makeBuildFolder(dir);
    const outputs: BuildOutputs = {
      elf: path.join(dir, 'zephyr.elf'),
      dotConfig: path.join(dir, '.config'),
      devicetree: path.join(dir, 'zephyr.dts'),
    };
    const confFiles = [PRJ_CONF, ...(request.confFile ? [request.confFile] : [])];
    const stamp = path.join(dir, '.inputs.sha256');
    const image = path.join(dir, 'zephyr.bin');
    const inputs = await inputsHash([request.overlay, ...confFiles]);
    const allSteps = () => [...demoDtSteps(dir), ...demoCodeSteps(dir)].map((st) => [st.file, ...st.argv]);
    // No build when nothing that goes into the image changed (overlay and fragment texts, sources, flags, tool).
    if (!request.pristine && (await readFile(stamp, 'utf8').catch(() => '')) === inputs && existsSync(image)) {
      await appendFile(request.logFile, `inputs unchanged (${inputs.slice(0, 12)}): reusing ${image}\n`);
      return {
        image,
        imageSize: (await stat(image)).size,
        ms: Math.round(performance.now() - t0),
        commands: allSteps(),
        reused: true,
        outputs,
      };
    }
    await rm(stamp, { force: true });
    const run = stepRunner(request);
    const tree = await mergeDevicetree(dir, [request.overlay], run);
    findTargets(tree); // the same check a Zephyr build's devicetree gets: zephyr,sram and one xen,xen node
    const config = await configure(dir, confFiles, tree, request.logFile);
    await writeFile(path.join(dir, 'dt_config.h'), demoConfigHeader(dom0Values(tree), TOOL.version));
    await writeFile(path.join(dir, 'autoconf.h'), demoAutoconf(config));
    for (const step of demoCodeSteps(dir)) await run(step);
    await writeFile(stamp, inputs);
    return { image, imageSize: (await stat(image)).size, ms: Math.round(performance.now() - t0), commands: allSteps(), outputs };
  },
};
