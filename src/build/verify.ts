/**
 * After every build: is the image really built for the layout Xen gives Dom0? Read from the
 * build's own outputs (the ELF's load address, Kconfig's CONFIG_SRAM_BASE_ADDRESS, the merged
 * devicetree), so a stale incremental build is a clear build error, never a silent Dom0.
 */
import { readFile } from 'node:fs/promises';
import { dom0Values, type Dom0DtValues } from '../devicetree/dom0-values.js';
import { parseDts } from '../devicetree/parse.js';
import { ToolError } from '../base/errors.js';
import { elfLoadBase } from '../image/elf.js';
import { hex, type Layout } from '../xen/layout.js';
import { parseDotConfig } from './dotconfig.js';
import type { BuildOutputs } from './types.js';

/** What the outputs say the image was built with; a field is absent when its output is. */
export interface BuildFacts {
  elf?: { file: string; base: bigint | null };
  dotConfig?: { file: string; sramBase: bigint | null };
  devicetree?: { file: string; values: Dom0DtValues };
}

const pairs = (flat: bigint[]): string[] => {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push(`${hex(flat[i]!)}+${hex(flat[i + 1]!)}`);
  return out;
};

/** Pure: each way the facts disagree with `layout`, as a sentence naming the file and both values. */
export function staleFindings(facts: BuildFacts, layout: Layout): string[] {
  const bank0 = layout.dom0Banks[0];
  const out: string[] = [];
  if (!bank0) return out;
  const want = hex(bank0.start);
  if (facts.elf && facts.elf.base !== bank0.start) {
    out.push(
      `${facts.elf.file} is linked at ${facts.elf.base === null ? '(no load address)' : hex(facts.elf.base)}, not at Dom0's bank ${want}`,
    );
  }
  if (facts.dotConfig && facts.dotConfig.sramBase !== bank0.start) {
    const got = facts.dotConfig.sramBase === null ? 'unset' : hex(facts.dotConfig.sramBase);
    out.push(`${facts.dotConfig.file} has CONFIG_SRAM_BASE_ADDRESS ${got}, not ${want}`);
  }
  if (facts.devicetree) {
    const { file, values } = facts.devicetree;
    const sram = pairs(values.memoryReg.slice(0, 2))[0];
    const bank = `${want}+${hex(bank0.end - bank0.start)}`;
    if (sram !== bank) out.push(`${file}: zephyr,sram is ${sram ?? 'missing'}, not Dom0's bank ${bank}`);
    const hyp = pairs(values.hypervisorReg).join(' ');
    const learned = [layout.grantTable, ...layout.extendedRegions].map((r) => (r ? `${hex(r.start)}+${hex(r.end - r.start)}` : '?'));
    if (hyp !== learned.join(' ')) out.push(`${file}: xen,xen reg is ${hyp}, not the grant table and regions ${learned.join(' ')}`);
    if (layout.eventChannelPpi !== null && values.evtchnPpi !== layout.eventChannelPpi - 16) {
      out.push(
        `${file}: xen,xen interrupts GIC_PPI ${values.evtchnPpi}, not ${layout.eventChannelPpi - 16} (Xen's PPI ${layout.eventChannelPpi})`,
      );
    }
  }
  return out;
}

/** A Kconfig hex or int value (`0x50000000`, `1342177280`, quoted or not); null when unset or not a number. */
export function kconfigNumber(value: string | undefined): bigint | null {
  const v = value?.replace(/^"(.*)"$/, '$1');
  return v && /^(0x[0-9a-f]+|\d+)$/i.test(v) ? BigInt(v) : null;
}

async function readOptional(file: string | undefined): Promise<Buffer | null> {
  if (!file) return null;
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

/** Reads the facts from whichever outputs exist. */
export async function readBuildFacts(outputs: BuildOutputs): Promise<BuildFacts> {
  const facts: BuildFacts = {};
  const [elf, dotConfig, dts] = await Promise.all([outputs.elf, outputs.dotConfig, outputs.devicetree].map(readOptional));
  if (elf) facts.elf = { file: outputs.elf!, base: elfLoadBase(elf) };
  if (dotConfig) {
    const value = parseDotConfig(dotConfig.toString('utf8')).get('CONFIG_SRAM_BASE_ADDRESS');
    facts.dotConfig = { file: outputs.dotConfig!, sramBase: kconfigNumber(value) };
  }
  if (dts) facts.devicetree = { file: outputs.devicetree!, values: dom0Values(parseDts(dts.toString('utf8'), outputs.devicetree!)) };
  return facts;
}

/** Throws BUILD_STALE when the build's outputs disagree with `layout`; returns which outputs were checked. */
export async function verifyBuild(outputs: BuildOutputs | undefined, layout: Layout): Promise<string[]> {
  const facts = await readBuildFacts(outputs ?? {});
  const findings = staleFindings(facts, layout);
  if (findings.length > 0) {
    throw new ToolError(
      'BUILD_STALE',
      'build',
      `the build does not match the layout it was given (a stale build folder? try --pristine): ${findings.join('; ')}`,
      { details: { findings } },
    );
  }
  return Object.values(facts).map((f: { file: string }) => f.file);
}
