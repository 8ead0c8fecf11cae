import { describe, expect, it } from 'vitest';
import { parseChecksumFile } from '../../../src/upstream/checksums.js';
import { datedFolders, listingLinks } from '../../../src/upstream/listing.js';
import { MeteredText } from './metered-text.js';

/** The largest answer UpstreamHttp reads. */
const CAP = 16 * 1024 * 1024;

/** `parts` repeated in turn to fill `size` characters, each given an equal share. */
function filled(size: number, parts: string[]): string {
  const share = Math.floor(size / parts.length);
  return parts.map((part) => part.repeat(Math.floor(share / part.length))).join('');
}

// Work is counted, never timed: a pattern tried at each `<a ` over the rest of the page (as a regex over the
// whole page was) reads it n²/6 times over; one pass reads each character a few times. The generous timeout
// is for a loaded machine, not an assertion.
const GENEROUS = { timeout: 120_000 };

describe('parsing a hostile answer of 16 MiB takes work linear in its size', () => {
  it('an index page of unclosed tags, entities and comments', GENEROUS, () => {
    const link = '<a href="20260101/">20260101/</a>';
    const hostile = filled(CAP - link.length - 8, ['<a ', '>', '<h1 <h1 href= ', '>', '&#x&amp&', '<!-- ']);
    // The link sits before the unclosed comment that swallows the rest, as a browser reads it.
    const cut = hostile.lastIndexOf('&') + 1;
    const page = new MeteredText(`${hostile.slice(0, cut)}${link}${hostile.slice(cut)}`);

    expect(listingLinks(page.asString())).toContain('20260101/');
    expect(page.length).toBeGreaterThan(CAP - 64);
    expect(page.reads).toBeGreaterThanOrEqual(page.length);
    expect(page.reads).toBeLessThanOrEqual(3 * page.length);
  });

  it('an index page that is one unclosed <a tag, read for its dated folders', GENEROUS, () => {
    const page = new MeteredText(`<a href="20260102/">x</a>${'<a '.repeat(Math.floor((CAP - 32) / 3))}`);
    expect(datedFolders(page.asString()).map((folder) => folder.name)).toEqual(['20260102']);
    expect(page.reads).toBeLessThanOrEqual(3 * page.length);
  });

  it('a checksum file of lines made to make a pattern backtrack', GENEROUS, () => {
    const hex = 'a'.repeat(64);
    const real = `${hex}  image.qcow2\n`;
    const hostile = filled(CAP - real.length, [
      `SHA256 (${')= 0'.repeat(64)}\n`,
      `\\${'0'.repeat(1000)}\n`,
      `${'0'.repeat(64)}${' '.repeat(64)}x\n`,
      `A${'-'.repeat(200)}(\n`,
    ]);
    // And one line of a whole share: the longest a single line can be.
    const text = new MeteredText(`${real}${hostile}SHA256 (${'('.repeat(CAP / 8)}\n`);
    expect(parseChecksumFile(text.asString())[0]).toEqual({ name: 'image.qcow2', algo: 'sha256', hex });
    expect(text.reads).toBeGreaterThanOrEqual(text.length);
    expect(text.reads).toBeLessThanOrEqual(3 * text.length);
  });
});
