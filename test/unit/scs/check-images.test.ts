import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/scs/findings.js';
import { IMAGE_RULES, checkImage, checkImages } from '../../../src/scs/image-metadata.js';
import type { ImageSubject } from '../../../src/scs/image-subject.js';
import { V1, V2, findingOf, image, verdictOf, type Overrides } from './helpers.js';

const generic = (id: string, overrides: Overrides = {}): ImageSubject =>
  image({ id, name: `Ubuntu 24.04 ${id}`, ...overrides });

function uniqueness(images: ImageSubject[], options = V2): Record<string, Verdict> {
  const result = checkImages(images, options);
  return Object.fromEntries(images.map((subject, i) => [subject.id, verdictOf(result[i] ?? [], 'uniqueness')]));
}

describe('checkImages: uniqueness of generic images', () => {
  it('fails both of two public, visible generic images for the same (architecture, os_distro, os_version)', () => {
    const result = checkImages([generic('a'), generic('b')], V2);
    expect(verdictOf(result[0] ?? [], 'uniqueness')).toBe('FAIL');
    const b = findingOf(result[1] ?? [], 'uniqueness');
    expect(b.verdict).toBe('FAIL');
    expect(b.message).toContain('"Ubuntu 24.04 a"');
    expect(b.message).toContain('x86_64');
  });

  it('gives every image of a clash the same message, naming them all, so that a report lists the clash once', () => {
    const result = checkImages([generic('a'), generic('b'), generic('c')], V2);
    const messages = new Set(result.map((findings) => findingOf(findings, 'uniqueness').message));
    expect(messages.size).toBe(1);
    const [message] = messages;
    for (const name of ['"Ubuntu 24.04 a"', '"Ubuntu 24.04 b"', '"Ubuntu 24.04 c"']) expect(message).toContain(name);
    expect(message).toMatch(/^3 visible public generic images for/);
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
    expect(
      uniqueness([
        generic('a', { props: { os_version: undefined } }),
        generic('b', { props: { os_version: undefined } }),
      ]),
    ).toEqual({ a: 'PASS', b: 'PASS' });
  });
});

describe('checkImages: assembly', () => {
  it('gives each image the per-image findings of checkImage followed by uniqueness', () => {
    const debian = image({ id: 'b', name: 'Debian 12', min_ram: 32, props: { os_distro: 'debian', os_version: '12' } });
    const result = checkImages([generic('a'), debian], V2);
    expect(result[0]?.map((f) => f.rule)).toEqual([...IMAGE_RULES, 'uniqueness']);
    expect(result[1]?.slice(0, IMAGE_RULES.length)).toEqual(checkImage(debian, V2));
    expect(verdictOf(result[1] ?? [], 'min_ram')).toBe('WARN');
  });

  it('answers per image in the order given, and keeps images with the same name apart', () => {
    const result = checkImages(
      [
        image({ id: 'u1' }),
        image({ name: 'Debian 12', props: { os_distro: 'debian' } }),
        image({ name: 'Debian 12', props: { os_distro: 'debian', os_version: '12' } }),
      ],
      V2,
    );
    expect(result.map((findings) => findings[0]?.image)).toEqual(['Ubuntu 24.04', 'Debian 12', 'Debian 12']);
    expect(result[2]?.every((f) => f.image === 'Debian 12')).toBe(true);
    expect(findingOf(result[1] ?? [], 'os_version').message).toBe('os_version="24.04"');
    expect(findingOf(result[2] ?? [], 'os_version').message).toBe('os_version="12"');
  });

  it('returns nothing for no images', () => {
    expect(checkImages([], V2)).toEqual([]);
  });
});
