import { describe, expect, it } from 'vitest';
import { parseChecksumFile } from '../../../src/upstream/checksums.js';
import {
  PlaceholderError,
  hasPlaceholder,
  newestMatching,
  placeholderPattern,
} from '../../../src/upstream/placeholder.js';
import { fixture } from './helpers.js';

const STREAM9 = String.raw`CentOS-Stream-GenericCloud-9-HEREBE\d+\.\dDRAGONS.x86_64.qcow2`;
const CENTOS7 = String.raw`CentOS-7-x86_64-GenericCloud-HEREBE\d+\.qcow2$DRAGONS`;

const names = (path: string) => parseChecksumFile(fixture(path)).map((entry) => entry.name);

function thrown(fileName: string): PlaceholderError {
  try {
    placeholderPattern(fileName);
  } catch (error) {
    if (error instanceof PlaceholderError) return error;
    throw error;
  }
  throw new Error(`no error for ${fileName}`);
}

describe('hasPlaceholder', () => {
  it('tells names with a marker from plain ones', () => {
    expect(hasPlaceholder(STREAM9)).toBe(true);
    expect(hasPlaceholder(CENTOS7)).toBe(true);
    expect(hasPlaceholder('CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2')).toBe(false);
  });

  it('counts a lone marker, so it is reported instead of fetched', () => {
    expect(hasPlaceholder('image-HEREBE.qcow2')).toBe(true);
    expect(hasPlaceholder('image-DRAGONS.qcow2')).toBe(true);
  });
});

describe('placeholderPattern', () => {
  it('matches whole names, the text around the markers literally', () => {
    const pattern = placeholderPattern(STREAM9);
    expect(pattern.source).toBe(String.raw`^CentOS-Stream-GenericCloud-9-(?:\d+\.\d)\.x86_64\.qcow2$`);
    expect(pattern.test('CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2')).toBe(true);
    expect(pattern.test('CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2.xz')).toBe(false);
    expect(pattern.test('CentOS-Stream-GenericCloud-9-20260714.1Xx86_64.qcow2')).toBe(false);
    expect(pattern.test('CentOS-Stream-GenericCloud-x86_64-9-20260714.1.x86_64.qcow2')).toBe(false);
    expect(pattern.test('CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2')).toBe(false);
  });

  it('keeps a trailing $ inside the placeholder working', () => {
    const pattern = placeholderPattern(CENTOS7);
    expect(pattern.test('CentOS-7-x86_64-GenericCloud-2211.qcow2')).toBe(true);
    expect(pattern.test('CentOS-7-x86_64-GenericCloud-2211.qcow2c')).toBe(false);
    expect(pattern.test('CentOS-7-x86_64-GenericCloud-2211.qcow2.xz')).toBe(false);
  });

  it('escapes regex characters outside the markers', () => {
    const pattern = placeholderPattern('a+b(c)[d]{e}^f|g?.HEREBE\\d+DRAGONS');
    expect(pattern.test('a+b(c)[d]{e}^f|g?.42')).toBe(true);
    expect(pattern.test('aab(c)[d]{e}^f|g?.42')).toBe(false);
  });

  it('keeps alternatives inside the placeholder', () => {
    const pattern = placeholderPattern('img-HEREBEa|bDRAGONS.qcow2');
    expect(pattern.test('img-a.qcow2')).toBe(true);
    expect(pattern.test('img-b.qcow2')).toBe(true);
    expect(pattern.test('img-a')).toBe(false);
  });

  it('throws a PlaceholderError naming the placeholder and the reason', () => {
    expect(() => placeholderPattern('image.qcow2')).toThrow(PlaceholderError);
    const invalid = thrown('img-HEREBE[0-9DRAGONS.qcow2');
    expect(invalid.name).toBe('PlaceholderError');
    expect(invalid.placeholder).toBe('img-HEREBE[0-9DRAGONS.qcow2');
    expect(invalid.message).toContain('img-HEREBE[0-9DRAGONS.qcow2');
    expect(invalid.message).toContain('no valid regex');
  });

  it('throws for markers missing, unbalanced, repeated or empty, and for a regex only the wrapping would balance', () => {
    expect(thrown('image.qcow2').reason).toMatch(/no HEREBE…DRAGONS/);
    expect(thrown('img-HEREBE\\d+.qcow2').reason).toMatch(/HEREBE without DRAGONS/);
    expect(thrown('img-\\d+DRAGONS.qcow2').reason).toMatch(/DRAGONS without HEREBE/);
    expect(thrown('img-DRAGONS\\d+HEREBE.qcow2').reason).toMatch(/DRAGONS before HEREBE/);
    expect(thrown('HEREBE\\d+DRAGONS-HEREBE\\d+DRAGONS').reason).toMatch(/more than one HEREBE/);
    expect(thrown('HEREBE\\d+DRAGONS-DRAGONS').reason).toMatch(/more than one DRAGONS/);
    expect(thrown('img-HEREBEDRAGONS.qcow2').reason).toMatch(/nothing between/);
    expect(thrown('img-HEREBEa)(bDRAGONS.qcow2').reason).toMatch(/no valid regex/);
    expect(thrown('img-HEREBE(?P<v>\\d+)DRAGONS.qcow2').reason).toMatch(/no valid regex/);
  });
});

describe('newestMatching', () => {
  it('finds the newest CentOS Stream 9 GenericCloud qcow2 in its CHECKSUM', () => {
    expect(newestMatching(names('centos_stream9/CHECKSUM'), placeholderPattern(STREAM9))).toBe(
      'CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2',
    );
  });

  it('finds the newest CentOS 7 GenericCloud qcow2 in its sha256sum.txt', () => {
    expect(newestMatching(names('centos7/sha256sum.txt'), placeholderPattern(CENTOS7))).toBe(
      'CentOS-7-x86_64-GenericCloud-2211.qcow2',
    );
  });

  it('orders naturally, not by text', () => {
    const pattern = placeholderPattern('v-HEREBE[\\d.]+DRAGONS.img');
    expect(newestMatching(['v-1.10.img', 'v-1.9.img', 'v-1.2.img'], pattern)).toBe('v-1.10.img');
  });

  it('gives undefined when nothing matches', () => {
    expect(newestMatching(names('almalinux9/CHECKSUM'), placeholderPattern(STREAM9))).toBeUndefined();
    expect(newestMatching([], placeholderPattern(STREAM9))).toBeUndefined();
  });

  it('is not thrown off by a global pattern', () => {
    expect(newestMatching(['a1', 'a2', 'a3'], /^a\d$/g)).toBe('a3');
  });
});
