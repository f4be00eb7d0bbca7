/** The options each command takes, as the README states them (not read from src/cli/commands.ts: the tests hold the table to the README). */
/*
 * learn's table; boot's table plus learn's but --image and --print-qemu-cmd; check is
 * boot plus --fix; drift boots an image over a matrix; drift merge takes MERGE_OPTIONS.
 */
const LEARN = ['config', 'image', 'xen', 'qemu', 'dtb', 'memory', 'dom0-mem', 'xen-args', 'dom0-args', 'load-addr', 'profile'].concat([
  'out',
  'timeout',
  'xen-timeout',
  'log-level',
  'verbose',
  'json',
  'print-qemu-cmd',
  'junit',
  'bundle',
]);
const BOOT = LEARN.filter((o) => o !== 'image' && o !== 'print-qemu-cmd').concat(
  ['builder', 'app', 'board', 'toolchain', 'build-dir', 'overlay', 'max-passes', 'dom0-timeout', 'build-timeout'],
  ['success', 'failure', 'pristine', 'observe-dom0', 'start-layout'],
);
/** Each command's options by command words. */
export const EXPECTED: Record<string, string[]> = {
  learn: LEARN,
  boot: BOOT,
  check: [...BOOT, 'fix'],
  drift: LEARN.filter((o) => o !== 'print-qemu-cmd').concat(['jobs', 'shard', 'fail-on', 'baseline']),
  'drift merge': ['out', 'junit', 'bundle', 'json', 'fail-on', 'baseline', 'verbose', 'log-level'],
  setup: ['xen', 'zephyr-deps'],
};

/** The options that take no value. */
export const FLAGS: ReadonlySet<string> = new Set(['verbose', 'json', 'print-qemu-cmd', 'pristine', 'observe-dom0', 'fix', 'zephyr-deps']);

/** The words of a command, with the operand it needs. */
export const commandWords = (key: string): string[] => (key === 'drift merge' ? ['drift', 'merge', 'shard-1'] : [key]);
