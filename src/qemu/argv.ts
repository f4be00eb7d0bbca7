/** Pure QEMU argument building (no processes here): the documented Xen boot, and dumpdtb. */
import type { Profile } from './profile.js';

/** QEMU splits option values on commas; a literal comma in a path is written twice. */
export function qemuPath(value: string): string {
  return value.replaceAll(',', ',,');
}

export interface MachineOptions {
  profile: Profile;
  memory: string;
}

export interface BootOptions extends MachineOptions {
  xen: string;
  image: string;
  dtb: string;
  loadAddr: string;
  pidfile: string;
}

function machineArgs({ profile, memory }: MachineOptions, machineSuffix = ''): string[] {
  return ['-cpu', profile.cpu, '-m', memory, '-machine', `${profile.machine}${machineSuffix}`];
}

/** argv that makes QEMU write its own device tree for this machine, cpu and memory, then exit. */
export function buildDumpDtbArgv(options: MachineOptions & { out: string }): string[] {
  return [...machineArgs(options, `,dumpdtb=${qemuPath(options.out)}`), '-nographic', ...options.profile.extraArgs];
}

/** argv of the documented boot (REFERENCE §1): Xen as kernel, Dom0 image through the loader. */
export function buildBootArgv(options: BootOptions): string[] {
  return [
    ...machineArgs(options),
    '-nographic',
    ...options.profile.extraArgs,
    '-chardev',
    'stdio,id=con,mux=on',
    '-serial',
    'chardev:con',
    '-mon',
    'chardev=con,mode=readline',
    '-pidfile',
    options.pidfile,
    '-device',
    `loader,file=${qemuPath(options.image)},addr=${options.loadAddr}`,
    '-dtb',
    options.dtb,
    '-kernel',
    options.xen,
  ];
}

/** Quotes argv for a POSIX shell, so a person can paste the exact command. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}
