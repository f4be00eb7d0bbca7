/** Builder for the dom0-demo guest: preprocess + dtc the overlay like Zephyr, then link at `ram`'s base. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ToolError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { requireTool } from '../util/require-tool.js';
import { TOOL } from '../version.js';
import { demoConfigHeader, pairsFromCells, type DemoDtValues } from './demo-config.js';
import { runBuildStep, type BuildStep } from './run-build.js';
import type { Builder, BuildRequest, BuildResult } from './types.js';

export const DEMO_SOURCE = path.join(PROJECT_ROOT, 'example', 'dom0-demo');
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

/** Pure: the devicetree half of the build (cpp then dtc), as Zephyr's build does it. */
export function demoDtSteps(overlay: string, dir: string): BuildStep[] {
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
        `-DDEMO_OVERLAY="${overlay}"`,
        '-o',
        path.join(dir, 'demo.dts.pre'),
        path.join(DEMO_SOURCE, 'board.dts'),
      ],
    },
    { file: 'dtc', argv: ['-@', '-I', 'dts', '-O', 'dtb', '-o', path.join(dir, 'demo.dtb'), path.join(dir, 'demo.dts.pre')] },
  ];
}

/** Pure: the code half (compile, link at the ram base, flat binary). */
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
        path.join(dir, 'dom0-demo.elf'),
        path.join(dir, 'start.o'),
        path.join(dir, 'main.o'),
      ],
    },
    { file: OBJCOPY, argv: ['-O', 'binary', path.join(dir, 'dom0-demo.elf'), path.join(dir, 'dom0-demo.bin')] },
  ];
}

async function fdtget(args: string[]): Promise<string> {
  const result = await execa('fdtget', args, { reject: false });
  if (result.exitCode !== 0) throw new Error(String(result.stderr).trim() || `fdtget ${args.join(' ')} failed`);
  return String(result.stdout).trim();
}

/** Reads back what the overlay set, by label, from the compiled tree (like Zephyr's DT macros). */
export async function readDemoValues(dtb: string, overlay: string): Promise<DemoDtValues> {
  try {
    const labels = (await fdtget(['-p', dtb, '/__symbols__'])).split(/\s+/);
    const at = (label: string) => fdtget([dtb, '/__symbols__', label]);
    const cells = async (node: string, prop: string) => (await fdtget(['-t', 'x', dtb, node, prop])).split(/\s+/);
    const ram = await at('ram');
    const hypervisor = await at('hypervisor');
    const banks = labels.filter((l) => /^ram\d*$/.test(l)).sort((a, b) => Number(a.slice(3) || 0) - Number(b.slice(3) || 0));
    const memoryReg: bigint[] = [];
    for (const label of banks) memoryReg.push(...pairsFromCells(await cells(await at(label), 'reg')));
    const interrupts = await cells(hypervisor, 'interrupts');
    return {
      ramBase: pairsFromCells(await cells(ram, 'reg'))[0]!,
      hypervisorReg: pairsFromCells(await cells(hypervisor, 'reg')),
      memoryReg,
      evtchnPpi: Number(BigInt(`0x${interrupts[1]}`)),
    };
  } catch (cause) {
    throw new ToolError(
      'BUILD_FAILED',
      'build',
      `${overlay}: the devicetree lacks what Dom0 needs (labels ram and hypervisor with reg and interrupts): ${(cause as Error).message}`,
    );
  }
}

/** Hash of everything the image is made from: the overlay's text, the guest's sources, flags, tool version. */
async function inputsHash(overlay: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ CFLAGS, version: TOOL.version }));
  hash.update(await readFile(overlay));
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

export const demoBuilder: Builder = {
  kind: 'demo',
  successPatterns: ['^dom0-demo: match$', '^\\*\\*\\* Booting dom0-demo .+ \\*\\*\\*$'],
  failurePattern: '^dom0-demo: FAIL',
  async build(request: BuildRequest): Promise<BuildResult> {
    requireTool(CC, 'gcc-aarch64-linux-gnu');
    requireTool(OBJCOPY, 'binutils-aarch64-linux-gnu');
    requireTool('dtc', 'device-tree-compiler');
    const t0 = performance.now();
    const dir = request.buildDir;
    if (request.pristine) {
      for (const entry of await readdir(dir).catch(() => [])) await rm(path.join(dir, entry), { recursive: true, force: true });
    }
    await mkdir(dir, { recursive: true });
    // No build when nothing that goes into the image changed (overlay text, sources, flags, tool).
    const stamp = path.join(dir, '.inputs.sha256');
    const image = path.join(dir, 'dom0-demo.bin');
    const inputs = await inputsHash(request.overlay);
    if (!request.pristine && (await readFile(stamp, 'utf8').catch(() => '')) === inputs && existsSync(image)) {
      const commands = [...demoDtSteps(request.overlay, dir), ...demoCodeSteps(dir)].map((st) => [st.file, ...st.argv]);
      await appendFile(request.logFile, `inputs unchanged (${inputs.slice(0, 12)}): reusing ${image}\n`);
      return { image, imageSize: (await stat(image)).size, ms: Math.round(performance.now() - t0), commands, reused: true };
    }
    await rm(stamp, { force: true });
    const run = (step: BuildStep) =>
      runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'dom0-demo build' });
    const dtSteps = demoDtSteps(request.overlay, dir);
    for (const step of dtSteps) await run(step);
    const values = await readDemoValues(path.join(dir, 'demo.dtb'), request.overlay);
    await writeFile(path.join(dir, 'dt_config.h'), demoConfigHeader(values, TOOL.version));
    const codeSteps = demoCodeSteps(dir);
    for (const step of codeSteps) await run(step);
    await writeFile(stamp, inputs);
    return {
      image,
      imageSize: (await stat(image)).size,
      ms: Math.round(performance.now() - t0),
      commands: [...dtSteps, ...codeSteps].map((s) => [s.file, ...s.argv]),
    };
  },
};
