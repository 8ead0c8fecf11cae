import { describe, expect, it } from 'vitest';
import { IMAGE_RULES, checkImage, checkImages, type ImageSubject, type Verdict } from '../../../src/scs/compliance.js';
import { V1, V2, findingOf, image, verdictOf, type Overrides } from './helpers.js';

const generic = (id: string, overrides: Overrides = {}): ImageSubject => image({ id, name: `Ubuntu 24.04 ${id}`, ...overrides });

function uniqueness(images: ImageSubject[], options = V2): Record<string, Verdict> {
  const result = checkImages(images, options);
  return Object.fromEntries([...result].map(([key, findings]) => [key, verdictOf(findings, 'uniqueness')]));
}

describe('checkImages: uniqueness of generic images', () => {
  it('fails both of two public, visible generic images for the same (architecture, os_distro, os_version)', () => {
    const result = checkImages([generic('a'), generic('b')], V2);
    expect(verdictOf(result.get('a') ?? [], 'uniqueness')).toBe('FAIL');
    const b = findingOf(result.get('b') ?? [], 'uniqueness');
    expect(b.verdict).toBe('FAIL');
    expect(b.message).toContain('"Ubuntu 24.04 a"');
    expect(b.message).toContain('x86_64');
  });

  it('fails every one of three', () => {
    expect(uniqueness([generic('a'), generic('b'), generic('c')])).toEqual({ a: 'FAIL', b: 'FAIL', c: 'FAIL' });
  });

  it('only warns under scs-0102-v1, which does not require it', () => {
    expect(uniqueness([generic('a'), generic('b')], V1)).toEqual({ a: 'WARN', b: 'WARN' });
  });

  it.each<[string, Overrides]>([
    ['hidden', { os_hidden: true }],
    ['hidden (as a property)', { props: { os_hidden: 'True' } }],
    ['private', { visibility: 'private' }],
    ['shared', { visibility: 'shared' }],
    ['community', { visibility: 'community' }],
    ['oldgeneric', { props: { os_purpose: 'oldgeneric' } }],
    ['minimal', { props: { os_purpose: 'minimal' } }],
    ['for aarch64', { props: { architecture: 'aarch64' } }],
    ['for another os_version', { props: { os_version: '22.04' } }],
    ['for another os_distro', { props: { os_distro: 'debian' } }],
  ])('passes both when the second one is %s', (_title, overrides) => {
    expect(uniqueness([generic('a'), generic('b', overrides)])).toEqual({ a: 'PASS', b: 'PASS' });
  });

  it('treats an image without visibility as public', () => {
    expect(uniqueness([generic('a'), generic('b', { visibility: undefined })])).toEqual({ a: 'FAIL', b: 'FAIL' });
  });

  it('leaves images without os_distro or os_version to their own rules', () => {
    expect(uniqueness([generic('a', { props: { os_version: undefined } }), generic('b', { props: { os_version: undefined } })])).toEqual({ a: 'PASS', b: 'PASS' });
  });
});

describe('checkImages: assembly', () => {
  it('gives each image the per-image findings of checkImage followed by uniqueness', () => {
    const debian = image({ id: 'b', name: 'Debian 12', min_ram: 32, props: { os_distro: 'debian', os_version: '12' } });
    const result = checkImages([generic('a'), debian], V2);
    expect(result.get('a')?.map((f) => f.rule)).toEqual([...IMAGE_RULES, 'uniqueness']);
    expect(result.get('b')?.slice(0, IMAGE_RULES.length)).toEqual(checkImage(debian, V2));
    expect(verdictOf(result.get('b') ?? [], 'min_ram')).toBe('WARN');
  });

  it('keys by id, else by name, and keeps images with the same key apart', () => {
    const result = checkImages([image({ id: 'u1' }), image({ name: 'Debian 12', props: { os_distro: 'debian' } }), image({ name: 'Debian 12', props: { os_distro: 'debian', os_version: '12' } })], V2);
    expect([...result.keys()]).toEqual(['u1', 'Debian 12', 'Debian 12#2']);
    expect(result.get('Debian 12#2')?.every((f) => f.image === 'Debian 12')).toBe(true);
  });

  it('returns an empty map for no images', () => {
    expect(checkImages([], V2).size).toBe(0);
  });
});
