import { describe, expect, it } from 'vitest';
import { datedFolders, listingLinks } from '../../../src/upstream/listing.js';
import { fixture } from './helpers.js';

const names = (html: string) => datedFolders(html).map((folder) => folder.name);

describe('listingLinks', () => {
  it('reads double-quoted, single-quoted and unquoted hrefs of any case, decoding entities', () => {
    const html = [
      `<A HREF="a&amp;b/">x</A>`,
      `<a class="c" href='it&#39;s/'>y</a>`,
      `<a href=plain/>z</a>`,
      `<a href="?C=M&amp;O=A&#x41;&lt;&gt;&quot;&unknown;">w</a>`,
    ].join(' ');
    expect(listingLinks(html)).toEqual(['a&b/', "it's/", 'plain/', '?C=M&O=AA<>"&unknown;']);
  });

  it('ignores other tags and attributes that only end in href', () => {
    const html = `<link rel="stylesheet" href="/style.css"><abbr href="x">a</abbr><address>Apache</address>
      <a data-href="no" title="t">n</a>`;
    expect(listingLinks(html)).toEqual([]);
  });

  it('ignores links in comments and scripts', () => {
    const html = `<!-- <a href="20200101/">old</a> --><script>document.write('<a href="20200102/">')</script><a href="kept/">k</a>`;
    expect(listingLinks(html)).toEqual(['kept/']);
  });

  it('lists an Apache table page in page order, each folder twice (icon and name)', () => {
    const links = listingLinks(fixture('debian13/index.html'));
    expect(links.slice(0, 7)).toEqual([
      '?C=N;O=D',
      '?C=M;O=A',
      '?C=S;O=A',
      '/cdimage/cloud/trixie/',
      '/cdimage/cloud/trixie/',
      '20260319-2421/',
      '20260319-2421/',
    ]);
    expect(links.at(-1)).toBe('latest/');
  });

  it('lists a Python http.server page with percent-encoded hrefs left as they are', () => {
    expect(listingLinks(fixture('python-http-server/index.html'))).toEqual([
      '20251230/',
      '20260101/',
      '20260102/',
      '20260102-1/',
      '20260231/',
      'current/',
      'notes%20%26%20todo.txt',
      'SHA256SUMS',
    ]);
  });
});

describe('datedFolders', () => {
  it('finds the Debian daily build folders of an Apache page, once each, oldest first', () => {
    const folders = datedFolders(fixture('debian13/index.html'));
    expect(folders).toHaveLength(112);
    expect(folders[0]).toEqual({ name: '20260319-2421', date: '20260319', build: 2421 });
    expect(folders.at(-1)).toEqual({ name: '20260717-2542', date: '20260717', build: 2542 });
    expect(folders.map((folder) => folder.name)).not.toContain('latest');
  });

  it('finds the Ubuntu daily folders and leaves current/ out', () => {
    expect(datedFolders(fixture('ubuntu2404/index.html'))).toEqual([
      { name: '20260307', date: '20260307' },
      { name: '20260321', date: '20260321' },
      { name: '20260323', date: '20260323' },
      { name: '20260518', date: '20260518' },
      { name: '20260615', date: '20260615' },
      { name: '20260705', date: '20260705' },
    ]);
  });

  it('finds the Ubuntu release-YYYYMMDD folders and leaves release/ out', () => {
    const folders = datedFolders(fixture('ubuntu-releases-noble/index.html'));
    expect(folders.map((folder) => folder.name)).toEqual([
      'release-20250610',
      'release-20251001',
      'release-20260108',
      'release-20260320',
      'release-20260618',
    ]);
    expect(folders.at(-1)).toEqual({ name: 'release-20260618', date: '20260618' });
  });

  it('reads an nginx autoindex page, leaving ../, latest/ and files out', () => {
    expect(datedFolders(fixture('nginx/index.html'))).toEqual([
      { name: '20251124-2306', date: '20251124', build: 2306 },
      { name: '20251125-2307', date: '20251125', build: 2307 },
      { name: '20251126-2308', date: '20251126', build: 2308 },
      { name: '20251127-2309', date: '20251127', build: 2309 },
    ]);
  });

  it('reads a Python http.server page, leaving out a folder named after no real date', () => {
    expect(datedFolders(fixture('python-http-server/index.html'))).toEqual([
      { name: '20251230', date: '20251230' },
      { name: '20260101', date: '20260101' },
      { name: '20260102', date: '20260102' },
      { name: '20260102-1', date: '20260102', build: 1 },
    ]);
  });

  it('sorts by date, then build number as a number', () => {
    const hrefs = ['20260102-10/', '20260102-9/', '20251231/', '20260102-100/', '20260101-2/'];
    const html = hrefs.map((href) => `<a href="${href}">x</a>`).join('\n');
    expect(names(html)).toEqual(['20251231', '20260101-2', '20260102-9', '20260102-10', '20260102-100']);
  });

  it('accepts ./NAME/ and absolute paths or URLs whose last segment is the folder', () => {
    const html = `<title>Index of /cdimage/cloud/trixie/daily</title>
      <a href="./20260101-1/">a</a>
      <a href="/cdimage/cloud/trixie/daily/20260102-2/">b</a>
      <a href="/cdimage/cloud/trixie/20260102-5/">b5</a>
      <a href="https://cdimage.debian.org/cdimage/cloud/trixie/daily/20260103-3/">c</a>
      <a href="//mirror.example/daily/20260104-4/">d</a>`;
    expect(names(html)).toEqual(['20260101-1', '20260102-2', '20260102-5', '20260103-3', '20260104-4']);
  });

  it('leaves out the listed folder itself and its parents, even when they are dated', () => {
    const html = `<h1>Index of /images/20260101/sub</h1>
      <a href="/images/20260101/">Parent Directory</a>
      <a href="/images/20260101/sub/">self</a>
      <a href="../">..</a>
      <a href="20260105/">20260105/</a>`;
    expect(names(html)).toEqual(['20260105']);
  });

  it('leaves out grandchildren, files, sort links and fragments', () => {
    const html = [
      'sub/20260101/',
      '20260102',
      '20260103/?C=M;O=A',
      '20260104/#top',
      '?C=M;O=A',
      '20260105.qcow2',
      'mailto:x@example.org',
    ]
      .map((href) => `<a href="${href}">x</a>`)
      .join('');
    expect(datedFolders(html)).toEqual([]);
  });

  it('leaves out names that are not YYYYMMDD, release-YYYYMMDD or YYYYMMDD-N', () => {
    const hrefs = [
      '2026010/',
      '202601011/',
      'v20260101/',
      'release-20260101-1/',
      '20260101-/',
      '20260101-a/',
      'daily-20260101/',
    ];
    const html = [...hrefs, 'current/', 'release/', 'latest/', 'daily/']
      .map((href) => `<a href="${href}">x</a>`)
      .join('');
    expect(datedFolders(html)).toEqual([]);
  });

  it('leaves out 8-digit names that are no calendar date', () => {
    const html = ['20260230/', '20261301/', '20260000/', '00000000/', '20250229/', '20240229/']
      .map((href) => `<a href="${href}">x</a>`)
      .join('');
    expect(names(html)).toEqual(['20240229']);
  });

  it('gives [] for a listing without a dated folder, and for garbage', () => {
    expect(datedFolders('<html><body><a href="../">..</a><a href="current/">current/</a></body></html>')).toEqual([]);
    expect(datedFolders('')).toEqual([]);
    expect(datedFolders('\u0000<<a href="">>>not html')).toEqual([]);
  });
});
