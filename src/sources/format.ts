import { maskUserinfo } from '../net/redact.js';

/**
 * Bytes read before an upload starts to tell the image format: up to ISO 9660's "CD001", which ends at
 * 0x8006. Everything else this knows sits in the first 512 bytes.
 */
export const SNIFF_BYTES = 0x8006;

/** What the first bytes of an image are: a format name, and for a refusal the reason in words. */
export interface Detected {
  /** qcow2, qcow, qed, vmdk, vhd, vhdx, vdi, luks, iso, raw, or empty. */
  format: string;
  /** Shown in a mismatch: "qcow2 with a backing file", "raw data (no image header)", … */
  description: string;
  /**
   * An image that points at other files (a qcow2's backing or external data file, a VMDK whose extents are
   * other files, a differencing VHD): never accepted, whatever the declared format.
   */
  unsafe?: boolean;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function startsWith(head: Uint8Array, magic: Uint8Array, offset = 0): boolean {
  if (head.length < offset + magic.length) return false;
  return magic.every((byte, i) => head[offset + i] === byte);
}

const QCOW = Uint8Array.of(0x51, 0x46, 0x49, 0xfb); // "QFI\xfb"
const QED = Uint8Array.of(0x51, 0x45, 0x44, 0x00); // "QED\0"
const VMDK_SPARSE = ascii('KDMV');
const VMDK_DESCRIPTOR = ascii('# Disk DescriptorFile');
const VHD = ascii('conectix');
const VHDX = ascii('vhdxfile');
const VDI = Uint8Array.of(0x7f, 0x10, 0xda, 0xbe); // 0xbeda107f, little-endian, at 0x40
const LUKS = Uint8Array.of(0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe); // "LUKS\xba\xbe"
const ISO9660 = ascii('CD001'); // the primary volume descriptor's id, at 0x8001

/** The container format the first bytes of an image show; `raw` for none. */
export function detectFormat(head: Uint8Array): Detected {
  if (head.length === 0) return { format: 'empty', description: 'empty (no data at all)' };
  if (startsWith(head, QCOW)) return qcow(head);
  if (startsWith(head, QED)) return { format: 'qed', description: 'a QED image' };
  if (startsWith(head, VMDK_SPARSE)) return vmdkSparse(head);
  if (startsWith(head, VMDK_DESCRIPTOR))
    return { ...VMDK_OTHER_FILES, description: 'a VMDK descriptor (of other files)' };
  if (startsWith(head, VHD)) return vhd(head);
  if (startsWith(head, VHDX)) return { format: 'vhdx', description: 'a VHDX image' };
  if (startsWith(head, VDI, 0x40)) return { format: 'vdi', description: 'a VDI image' };
  if (startsWith(head, LUKS)) return { format: 'luks', description: 'a LUKS encrypted volume' };
  if (startsWith(head, ISO9660, 0x8001)) return { format: 'iso', description: 'an ISO 9660 image' };
  return { format: 'raw', description: 'raw data (no image format header)' };
}

function qcow(head: Uint8Array): Detected {
  if (head.length < 104) return { format: 'qcow', description: 'a truncated qcow header' };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) return { format: 'qcow', description: `qcow version ${version}` };
  if (view.getBigUint64(8) !== 0n) {
    return { format: 'qcow2', description: 'qcow2 with a backing file', unsafe: true };
  }
  // Version 3: incompatible feature bit 2 is an external data file.
  if (version === 3 && (view.getBigUint64(72) & 4n) !== 0n) {
    return { format: 'qcow2', description: 'qcow2 with an external data file', unsafe: true };
  }
  return { format: 'qcow2', description: `qcow2 (version ${version})` };
}

const VMDK_OTHER_FILES = { format: 'vmdk', unsafe: true } as const;
/** VMDK create types whose data is all in the one file (what Glance's format inspector accepts too). */
const VMDK_SELF_CONTAINED = ['monolithicSparse', 'streamOptimized'];

/**
 * A sparse VMDK extent: safe only when its embedded descriptor (sector offset at 28, size at 36, little-endian)
 * declares a self-contained create type; one whose descriptor lies beyond the bytes read is not known to be.
 */
function vmdkSparse(head: Uint8Array): Detected {
  if (head.length < 44) return { format: 'vmdk', description: 'a truncated VMDK header', unsafe: true };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const offset = Number(view.getBigUint64(28, true)) * 512;
  const size = Number(view.getBigUint64(36, true)) * 512;
  if (offset === 0 || size === 0) return { format: 'vmdk', description: 'a VMDK image (sparse extent)' };
  const text = Buffer.from(head.subarray(offset, offset + size)).toString('latin1');
  const type = /createType\s*=\s*"([^"]*)"/.exec(text)?.[1];
  if (type !== undefined && VMDK_SELF_CONTAINED.includes(type)) {
    return { format: 'vmdk', description: `a VMDK image (${type})` };
  }
  const why = type === undefined ? 'without a create type in the first bytes' : `of type ${type}, with other files`;
  return { ...VMDK_OTHER_FILES, description: `a VMDK image ${why}` };
}

/** A VHD's footer copy at the start (dynamic and differencing disks): disk type 4, at 60, has a parent disk. */
function vhd(head: Uint8Array): Detected {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length >= 64 && view.getUint32(60) === 4) {
    return { format: 'vhd', description: 'a differencing VHD (of a parent disk)', unsafe: true };
  }
  return { format: 'vhd', description: 'a VHD image' };
}

/** Declared disk formats and the detected formats each accepts. Formats not listed here are not checked. */
const ACCEPTS: Record<string, readonly string[]> = {
  qcow2: ['qcow2'],
  vmdk: ['vmdk'],
  vhd: ['vhd'],
  vhdx: ['vhdx'],
  vdi: ['vdi'],
  iso: ['iso'],
  // A raw disk is any bytes without a container header; an ISO 9660 image is such bytes (hybrid ISOs boot
  // as disks), so raw accepts it.
  raw: ['raw', 'iso'],
};

/**
 * Why data that starts with `head` is not an image of the declared disk format, or undefined when it is
 * (or when the declared format is one this does not check: ami, ari, aki, ploop).
 */
export function formatMismatch(declared: string, head: Uint8Array): Detected | undefined {
  const accepted = ACCEPTS[declared];
  if (!accepted) return undefined;
  const found = detectFormat(head);
  if (found.unsafe || !accepted.includes(found.format)) return found;
  return undefined;
}

/** A streamed image that is not what its definition declares; the import fails before any byte is sent. */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
  readonly url: string;
  constructor(
    url: string,
    readonly expected: string,
    readonly found: Detected,
  ) {
    const shown = maskUserinfo(url);
    const why = found.unsafe ? ' (refused: it refers to other files)' : '';
    super(`${shown}: declared ${expected}, but the data is ${found.description}${why}`);
    this.url = shown;
  }
}
