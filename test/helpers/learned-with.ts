/** A lock's `learnedWith` as a boot of the demo guest on the default machine records it; fields overridable. */
import type { LearnedWith } from '../../src/overlay/lock-inputs.js';

export function learnedWith(over: Partial<LearnedWith> = {}): LearnedWith {
  return {
    xenSha256: 'a'.repeat(64),
    qemu: 'QEMU emulator version 10.0.2',
    profile: 'virt-cortex-a53',
    memory: '6G',
    dom0Mem: '256M',
    xenBootargs: 'console=dtuart dtuart=/pl011@9000000 dom0_mem=256M bootscrub=0',
    dom0Bootargs: 'console=hvc0',
    loadAddr: '0x40600000',
    dtbSha256: null,
    imageSize: 4488,
    ...over,
  };
}
