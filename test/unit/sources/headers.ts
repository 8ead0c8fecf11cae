/** The first bytes of disk images of each format, as their specifications lay them out. */

function bytes(length: number, ...parts: Array<[offset: number, data: ArrayLike<number> | string]>): Uint8Array {
  const out = new Uint8Array(length);
  for (const [offset, data] of parts) {
    out.set(typeof data === 'string' ? Array.from(data, (c) => c.charCodeAt(0)) : data, offset);
  }
  return out;
}

function u32be(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** A qcow2 header (104 bytes for v2, 112 for v3) followed by zeros up to `length`. */
export function qcow2(options: { version?: number; backingFile?: boolean; dataFile?: boolean; length?: number } = {}) {
  const version = options.version ?? 3;
  const parts: Array<[number, ArrayLike<number> | string]> = [
    [0, 'QFI\xfb'],
    [4, u32be(version)],
    [20, u32be(16)], // cluster_bits
  ];
  if (options.backingFile) parts.push([8, [0, 0, 0, 0, 0, 0, 0x01, 0x20]]);
  if (options.dataFile) parts.push([72, [0, 0, 0, 0, 0, 0, 0, 4]]);
  return bytes(options.length ?? 512, ...parts);
}

export const qed = () => bytes(512, [0, 'QED\0']);
export const vmdkSparse = () => bytes(512, [0, 'KDMV'], [4, [1, 0, 0, 0]]);
export const vmdkDescriptor = () => bytes(512, [0, '# Disk DescriptorFile\nversion=1\ncreateType="monolithicFlat"\n']);
export const vhd = () => bytes(512, [0, 'conectix']);
export const vhdx = () => bytes(512, [0, 'vhdxfile']);
export const vdi = () => bytes(512, [0, '<<< Oracle VM VirtualBox Disk Image >>>\n'], [0x40, [0x7f, 0x10, 0xda, 0xbe]]);
export const luks = () => bytes(512, [0, 'LUKS\xba\xbe'], [6, [0, 1]]);
/** An ISO 9660 image: system area, then the primary volume descriptor in sector 16 ("\x01CD001\x01"). */
export const iso = (length = 0x9000) => bytes(length, [0x8000, [1]], [0x8001, 'CD001'], [0x8006, [1]]);
/** A raw disk: an MBR boot sector, then zeros. */
export const rawDisk = (length = 0x9000) => bytes(length, [0, [0xeb, 0x63, 0x90]], [510, [0x55, 0xaa]]);

/** A sparse VMDK extent whose embedded descriptor (sector 1, one sector) declares `createType`. */
export const vmdkWithDescriptor = (createType: string) =>
  bytes(
    1024,
    [0, 'KDMV'],
    [4, [1, 0, 0, 0]],
    [28, [1]],
    [36, [1]],
    [512, `# Disk DescriptorFile\ncreateType="${createType}"\n`],
  );
/** A differencing VHD: disk type 4 in the footer copy at the start. */
export const vhdDifferencing = () => bytes(512, [0, 'conectix'], [60, u32be(4)]);
