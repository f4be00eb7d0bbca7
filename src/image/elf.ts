/** Pure: where a 64-bit little-endian ELF (zephyr.elf) is linked: the lowest physical address it loads. */

const PT_LOAD = 1;

/** The lowest p_paddr of a PT_LOAD segment with memory, or null when `data` is no ELF64 LE file or loads nothing. */
export function elfLoadBase(data: Buffer): bigint | null {
  if (data.length < 64 || data.readUInt32BE(0) !== 0x7f454c46 || data[4] !== 2 || data[5] !== 1) return null;
  const phoff = Number(data.readBigUInt64LE(32));
  const phentsize = data.readUInt16LE(54);
  const phnum = data.readUInt16LE(56);
  let lowest: bigint | null = null;
  for (let i = 0; i < phnum; i += 1) {
    const at = phoff + i * phentsize;
    if (at + 56 > data.length) return null;
    if (data.readUInt32LE(at) !== PT_LOAD || data.readBigUInt64LE(at + 40) === 0n) continue;
    const paddr = data.readBigUInt64LE(at + 24);
    if (lowest === null || paddr < lowest) lowest = paddr;
  }
  return lowest;
}
