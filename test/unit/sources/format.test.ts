import { describe, expect, it } from 'vitest';
import { detectFormat, formatMismatch, SNIFF_BYTES, SourceFormatError } from '../../../src/sources/format.js';
import * as h from './headers.js';

describe('detectFormat', () => {
  it.each([
    ['qcow2 v3', h.qcow2(), 'qcow2'],
    ['qcow2 v2', h.qcow2({ version: 2 }), 'qcow2'],
    ['qcow v1', h.qcow2({ version: 1 }), 'qcow'],
    ['a qcow header cut short', h.qcow2().subarray(0, 50), 'qcow'],
    ['qed', h.qed(), 'qed'],
    ['vmdk sparse extent', h.vmdkSparse(), 'vmdk'],
    ['vmdk descriptor', h.vmdkDescriptor(), 'vmdk'],
    ['vhd (dynamic: footer copy first)', h.vhd(), 'vhd'],
    ['vhdx', h.vhdx(), 'vhdx'],
    ['vdi', h.vdi(), 'vdi'],
    ['luks', h.luks(), 'luks'],
    ['iso 9660', h.iso(), 'iso'],
    ['an MBR disk', h.rawDisk(), 'raw'],
    ['zeros', new Uint8Array(SNIFF_BYTES), 'raw'],
    ['a short file', new Uint8Array([1, 2, 3]), 'raw'],
    ['nothing', new Uint8Array(0), 'empty'],
  ])('%s is %s', (_name, head, format) => {
    expect(detectFormat(head).format).toBe(format);
  });

  it('marks a qcow2 with a backing file or an external data file unsafe', () => {
    expect(detectFormat(h.qcow2({ backingFile: true }))).toMatchObject({ format: 'qcow2', unsafe: true });
    expect(detectFormat(h.qcow2({ dataFile: true }))).toMatchObject({ format: 'qcow2', unsafe: true });
    expect(detectFormat(h.qcow2({ version: 2, dataFile: true })).unsafe).toBeUndefined(); // v2 has no such bit
  });
});

describe('formatMismatch: what each declared format accepts', () => {
  const all = {
    qcow2: h.qcow2(),
    qcow: h.qcow2({ version: 1 }),
    qed: h.qed(),
    vmdk: h.vmdkSparse(),
    vmdkDescriptor: h.vmdkDescriptor(),
    vhd: h.vhd(),
    vhdx: h.vhdx(),
    vdi: h.vdi(),
    luks: h.luks(),
    iso: h.iso(),
    raw: h.rawDisk(),
    empty: new Uint8Array(0),
  };
  const accepted = (declared: string) =>
    Object.entries(all)
      .filter(([, head]) => formatMismatch(declared, head) === undefined)
      .map(([name]) => name);

  it('each container format accepts only its own header', () => {
    expect(accepted('qcow2')).toEqual(['qcow2']);
    expect(accepted('vmdk')).toEqual(['vmdk']); // a descriptor's extents are other files
    expect(accepted('vhd')).toEqual(['vhd']);
    expect(accepted('vhdx')).toEqual(['vhdx']);
    expect(accepted('vdi')).toEqual(['vdi']);
  });

  it('iso needs "CD001" at 0x8001; raw takes anything without a container header, ISO images included', () => {
    expect(accepted('iso')).toEqual(['iso']);
    expect(accepted('raw')).toEqual(['iso', 'raw']);
    expect(formatMismatch('iso', h.iso().subarray(0, 0x8003))?.format).toBe('raw');
  });

  it('refuses a qcow2 that refers to other files even when qcow2 is declared', () => {
    expect(formatMismatch('qcow2', h.qcow2({ backingFile: true }))?.description).toBe('qcow2 with a backing file');
    expect(formatMismatch('qcow2', h.qcow2({ dataFile: true }))?.description).toBe('qcow2 with an external data file');
  });

  it('does not check formats it does not know (ami, aki, ari, ploop)', () => {
    for (const declared of ['ami', 'aki', 'ari', 'ploop']) expect(formatMismatch(declared, h.qcow2())).toBeUndefined();
  });
});

describe('SourceFormatError', () => {
  it('names the URL (credentials masked), the declared and the found format', () => {
    const found = detectFormat(h.rawDisk());
    const error = new SourceFormatError('https://u:s3cret@images.example/x.qcow2', 'qcow2', found);
    expect(error.message).toBe(
      'https://u:***@images.example/x.qcow2: declared qcow2, but the data is raw data (no image format header)',
    );
    expect(error).toMatchObject({ expected: 'qcow2', url: 'https://u:***@images.example/x.qcow2' });
    expect(JSON.stringify(error)).not.toContain('s3cret');
  });
});

describe('images that refer to other files are refused, whatever the declared format', () => {
  it.each([
    ['a VMDK descriptor (its extents are other files)', h.vmdkDescriptor(), 'vmdk'],
    ['a sparse VMDK of type monolithicFlat', h.vmdkWithDescriptor('monolithicFlat'), 'vmdk'],
    ['a sparse VMDK of type twoGbMaxExtentSparse', h.vmdkWithDescriptor('twoGbMaxExtentSparse'), 'vmdk'],
    ['a differencing VHD', h.vhdDifferencing(), 'vhd'],
  ])('%s', (_name, head, declared) => {
    expect(formatMismatch(declared, head)).toMatchObject({ unsafe: true });
  });

  it.each(['monolithicSparse', 'streamOptimized'])('a sparse VMDK of type %s is accepted', (type) => {
    expect(formatMismatch('vmdk', h.vmdkWithDescriptor(type))).toBeUndefined();
    expect(detectFormat(h.vmdkWithDescriptor(type)).description).toBe(`a VMDK image (${type})`);
  });
});
