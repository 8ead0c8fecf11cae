import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { e2e, wwwPath } from './harness.js';

/**
 * An upstream as the distributions publish it, served by the local HTTP server (Python's http.server, whose
 * directory pages are autoindex listings and whose files carry Last-Modified):
 * - Ubuntu's layout: `<root>/<series>/YYYYMMDD/` build folders, each with the image and `SHA256SUMS`, and a
 *   moving `current/` alias holding a copy of the newest;
 * - a rolling file with a `SHA256SUMS` beside it, for OIM's `version: latest`.
 * `FeedTree` below is a releases feed (GitHub's JSON) and its assets.
 */
export class UpstreamTree {
  readonly root: string;
  readonly base: string;

  constructor(readonly file = 'e2e-server-cloudimg-amd64.img') {
    const name = `upstream-${randomUUID().slice(0, 8)}`;
    this.root = wwwPath(name);
    this.base = `${e2e.httpBase}/${name}`;
    mkdirSync(path.join(this.root, 'series', 'current'), { recursive: true });
  }

  get latestUrl(): string {
    return `${this.base}/series/current/${this.file}`;
  }

  get latestChecksumUrl(): string {
    return `${this.base}/series/current/SHA256SUMS`;
  }

  /** Publishes a dated build (a distinct qcow2 of `sizeMiB`) and points `current/` at it. */
  publishBuild(date: string, sizeMiB: number): { url: string; sha256: string } {
    const folder = path.join(this.root, 'series', date);
    mkdirSync(folder, { recursive: true });
    const sha256 = writeQcow2(path.join(folder, this.file), sizeMiB);
    writeFileSync(path.join(folder, 'SHA256SUMS'), `${sha256} *${this.file}\n`);
    for (const name of [this.file, 'SHA256SUMS'])
      copyFileSync(path.join(folder, name), path.join(this.root, 'series', 'current', name));
    return { url: `${this.base}/series/${date}/${this.file}`, sha256 };
  }

  /** Replaces the rolling file (and its SHA256SUMS), dated `modified` (Last-Modified). */
  publishRolling(sizeMiB: number, modified: Date): { url: string; checksumsUrl: string; sha256: string } {
    const folder = path.join(this.root, 'rolling');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'rolling.qcow2');
    const sha256 = writeQcow2(file, sizeMiB);
    utimesSync(file, modified, modified);
    writeFileSync(path.join(folder, 'SHA256SUMS'), `${sha256}  rolling.qcow2\n`);
    return { url: `${this.base}/rolling/rolling.qcow2`, checksumsUrl: `${this.base}/rolling/SHA256SUMS`, sha256 };
  }

  /**
   * Publishes a build as OSISM's buckets do (CAPI images, Octavia amphorae): the image at `file` under
   * `<base>/<bucket>/` (beside the marker or one folder down), its `FILE.CHECKSUM` as sha256sum writes it, and
   * the marker `<bucket>/<marker>` holding `DAY FILE`.
   */
  publishMarked(bucket: string, marker: string, day: string, file: string, sizeMiB: number) {
    const image = path.join(this.root, bucket, file);
    mkdirSync(path.dirname(image), { recursive: true });
    const sha256 = writeQcow2(image, sizeMiB);
    writeFileSync(`${image}.CHECKSUM`, `${sha256}  ${path.basename(file)}\n`);
    writeFileSync(path.join(this.root, bucket, marker), `${day} ${file}\n`);
    return { url: `${this.base}/${bucket}/${file}`, sha256, markerUrl: `${this.base}/${bucket}/${marker}` };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One release of a feed: its assets are qcow2 images (`sizeMiB`), or a `sha256sum.txt` of the others. */
export interface FeedRelease {
  tag: string;
  publishedAt: string;
  draft?: boolean;
  prerelease?: boolean;
  /** `digest`: the feed carries GitHub's `sha256:…` of the asset; `sums`: a sha256sum.txt lists it. */
  assets: Array<{ name: string; sizeMiB: number; checksum?: 'digest' | 'sums' }>;
}

/**
 * A GitHub-style releases feed as GitHub publishes it: `releases.json` (newest created first, drafts and
 * prereleases among them) and each release's assets under `download/<tag>/`, served by the local HTTP server.
 */
export class FeedTree {
  readonly root: string;
  readonly base: string;
  private readonly releases: object[] = [];

  constructor() {
    const name = `feed-${randomUUID().slice(0, 8)}`;
    this.root = wwwPath(name);
    this.base = `${e2e.httpBase}/${name}`;
    mkdirSync(this.root, { recursive: true });
    this.writeFeed();
  }

  get feedUrl(): string {
    return `${this.base}/releases.json`;
  }

  /** Publishes a release (listed first, as GitHub lists the newest created); the sha256 and URL of each asset. */
  publish(release: FeedRelease): Record<string, { url: string; sha256: string }> {
    const folder = path.join(this.root, 'download', release.tag);
    mkdirSync(folder, { recursive: true });
    const made: Record<string, { url: string; sha256: string }> = {};
    const assets: object[] = [];
    const sums: string[] = [];
    for (const spec of release.assets) {
      const sha256 = writeQcow2(path.join(folder, spec.name), spec.sizeMiB);
      const url = `${this.base}/download/${release.tag}/${spec.name}`;
      made[spec.name] = { url, sha256 };
      const size = readFileSync(path.join(folder, spec.name)).length;
      const digest = spec.checksum === 'digest' ? `sha256:${sha256}` : null;
      assets.push({
        name: spec.name,
        browser_download_url: url,
        size,
        digest,
        content_type: 'application/x-qemu-disk',
      });
      if (spec.checksum === 'sums') sums.push(`${sha256}  ${spec.name}\n`);
    }
    if (sums.length > 0) {
      writeFileSync(path.join(folder, 'sha256sum.txt'), sums.join(''));
      const url = `${this.base}/download/${release.tag}/sha256sum.txt`;
      assets.push({ name: 'sha256sum.txt', browser_download_url: url, size: sums.join('').length, digest: null });
    }
    const { tag, publishedAt, draft = false, prerelease = false } = release;
    this.releases.unshift({ tag_name: tag, name: tag, draft, prerelease, published_at: publishedAt, assets });
    this.writeFeed();
    return made;
  }

  private writeFeed(): void {
    writeFileSync(path.join(this.root, 'releases.json'), JSON.stringify(this.releases, null, 2));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function writeQcow2(file: string, sizeMiB: number): string {
  rmSync(file, { force: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, `${sizeMiB}M`]);
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
