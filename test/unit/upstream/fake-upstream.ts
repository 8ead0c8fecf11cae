import type { Checksum, ImageDefinition, VersionDefinition } from '../../../src/definitions/types.js';
import type { FetchInit, FetchLike, FetchResponse } from '../../../src/net/fetch.js';
import { fixture } from './helpers.js';

/** What the fake upstream answers for one URL; a plain string is a 200 with that body. */
export interface FakeAnswer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  url: string;
}

/**
 * An upstream web server in memory: answers GET and HEAD from a map of exact URLs (anything else is a 404)
 * and records every request in order. HEAD gets the status and headers of the URL's answer, no body.
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly answers = new Map<string, FakeAnswer>();

  constructor(routes: Record<string, FakeAnswer | string> = {}) {
    for (const [url, answer] of Object.entries(routes)) this.serve(url, answer);
  }

  serve(url: string, answer: FakeAnswer | string): this {
    this.answers.set(url, typeof answer === 'string' ? { body: answer } : answer);
    return this;
  }

  readonly fetch: FetchLike = async (url: string, init: FetchInit): Promise<FetchResponse> => {
    this.requests.push({ method: init.method, url });
    const answer = this.answers.get(url) ?? { status: 404, body: 'Not Found' };
    const status = answer.status ?? 200;
    const body = init.method === 'HEAD' ? null : (answer.body ?? '');
    return new Response(body, { status, headers: answer.headers ?? {} }) as unknown as FetchResponse;
  };

  /** The requests as `METHOD url` lines, in order. */
  log(): string[] {
    return this.requests.map((request) => `${request.method} ${request.url}`);
  }

  /** The requests whose URL starts with `prefix`. */
  requestsUnder(prefix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.url.startsWith(prefix));
  }
}

/** One upstream of a real shape: where a definition points, and what discovery must find there. */
export interface RealUpstream {
  name: string;
  latestUrl: string;
  latestChecksumUrl: string;
  layout: 'dated-folders' | 'checksum-file' | 'sidecar';
  /** The pinned URL of the newest build. */
  url: string;
  checksum: Checksum;
  /** YYYYMMDD from the folder or name; undefined where only Last-Modified tells it. */
  date?: string;
  /** Last-Modified served on the pinned URL (HEAD), for upstreams whose URLs carry no date. */
  lastModified?: string;
  /** The date Last-Modified gives, YYYYMMDD. */
  lastModifiedDay?: string;
}

const DEBIAN_DAILY = 'https://cdimage.debian.org/cdimage/cloud/trixie/daily/';
const UBUNTU_DAILY = 'https://cloud-images.ubuntu.com/noble/';
const UBUNTU_RELEASES = 'https://cloud-images.ubuntu.com/releases/noble/';
const NGINX_MIRROR = 'https://mirror.example.org/debian-cdimage/cloud/trixie/daily/';
const PYTHON_SERVER = 'http://127.0.0.1:8000/images/noble/';
const ALMA = 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/';
const STREAM9 = 'https://cloud.centos.org/centos/9-stream/x86_64/images/';
const ROCKY = 'https://dl.rockylinux.org/pub/rocky/9/images/x86_64/';
const FEDORA = 'https://download.fedoraproject.org/pub/fedora/linux/releases/44/Cloud/x86_64/images/';
const SIDECAR = 'https://images.example.org/cloud/';

const hex = (char: string, length: number) => char.repeat(length);

// Written by hand in the shape of the real files of those folders (digests made up).
export const UBUNTU_RELEASE_SUMS = [
  `${hex('1', 64)} *ubuntu-24.04-server-cloudimg-amd64.manifest`,
  `${hex('2', 64)} *ubuntu-24.04-server-cloudimg-amd64.img`,
  `${hex('3', 64)} *ubuntu-24.04-server-cloudimg-arm64.img`,
  '',
].join('\n');

export const NGINX_DEBIAN_SUMS = [
  `${hex('4', 128)}  debian-13-genericcloud-amd64-daily-20251127-2309.json`,
  `${hex('5', 128)}  debian-13-genericcloud-amd64-daily-20251127-2309.qcow2`,
  `${hex('6', 128)}  debian-13-genericcloud-arm64-daily-20251127-2309.qcow2`,
  '',
].join('\n');

export const PYTHON_SERVER_SUMS = [
  `${hex('7', 64)} *noble-server-cloudimg-amd64.img`,
  `${hex('8', 64)} *noble-server-cloudimg-arm64.img`,
  '',
].join('\n');

/** The upstreams of every shape the fixtures hold, with what discovery must find. */
export const REAL: Record<string, RealUpstream> = {
  debian: {
    name: 'Debian 13',
    latestUrl: `${DEBIAN_DAILY}latest/debian-13-genericcloud-amd64-daily.qcow2`,
    latestChecksumUrl: `${DEBIAN_DAILY}latest/SHA512SUMS`,
    layout: 'dated-folders',
    url: `${DEBIAN_DAILY}20260717-2542/debian-13-genericcloud-amd64-daily-20260717-2542.qcow2`,
    checksum: {
      algo: 'sha512',
      hex: 'fcc52bdff35697583f9331b64c688db6681fea98c024a1db185d8857b167f4e1838ead7037f18c12e432229354b1253f29e881a040ce0f5636801576e715b4b8',
    },
    date: '20260717',
  },
  ubuntu: {
    name: 'Ubuntu 24.04',
    latestUrl: `${UBUNTU_DAILY}current/noble-server-cloudimg-amd64.img`,
    latestChecksumUrl: `${UBUNTU_DAILY}current/SHA256SUMS`,
    layout: 'dated-folders',
    url: `${UBUNTU_DAILY}20260705/noble-server-cloudimg-amd64.img`,
    checksum: { algo: 'sha256', hex: 'ffe6203da54deeb6db5d2a98a83f9ec8e55f149d3f7ba622e1abe5fa966ee3d6' },
    date: '20260705',
  },
  ubuntuReleases: {
    name: 'Ubuntu 24.04 release',
    latestUrl: `${UBUNTU_RELEASES}release/ubuntu-24.04-server-cloudimg-amd64.img`,
    latestChecksumUrl: `${UBUNTU_RELEASES}release/SHA256SUMS`,
    layout: 'dated-folders',
    url: `${UBUNTU_RELEASES}release-20260618/ubuntu-24.04-server-cloudimg-amd64.img`,
    checksum: { algo: 'sha256', hex: hex('2', 64) },
    date: '20260618',
  },
  nginx: {
    name: 'Debian 13 mirror',
    latestUrl: `${NGINX_MIRROR}latest/debian-13-genericcloud-amd64-daily.qcow2`,
    latestChecksumUrl: `${NGINX_MIRROR}latest/SHA512SUMS`,
    layout: 'dated-folders',
    url: `${NGINX_MIRROR}20251127-2309/debian-13-genericcloud-amd64-daily-20251127-2309.qcow2`,
    checksum: { algo: 'sha512', hex: hex('5', 128) },
    date: '20251127',
  },
  python: {
    name: 'Ubuntu 24.04 local',
    latestUrl: `${PYTHON_SERVER}current/noble-server-cloudimg-amd64.img`,
    latestChecksumUrl: `${PYTHON_SERVER}current/SHA256SUMS`,
    layout: 'dated-folders',
    // 20260231/ is no date; 20260102-1/ is the second build of 20260102/.
    url: `${PYTHON_SERVER}20260102-1/noble-server-cloudimg-amd64.img`,
    checksum: { algo: 'sha256', hex: hex('7', 64) },
    date: '20260102',
  },
  alma: {
    name: 'AlmaLinux 9',
    latestUrl: `${ALMA}AlmaLinux-9-GenericCloud-latest.x86_64.qcow2`,
    latestChecksumUrl: `${ALMA}CHECKSUM`,
    layout: 'checksum-file',
    url: `${ALMA}AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2`,
    checksum: { algo: 'sha256', hex: 'c397eed7023e92c841155831b1f47e26300e5bef0f0256c129322307c897a251' },
    date: '20260526',
  },
  stream9: {
    name: 'CentOS Stream 9',
    // As OIM's catalogue writes it: a regex between HEREBE and DRAGONS.
    latestUrl: String.raw`${STREAM9}CentOS-Stream-GenericCloud-9-HEREBE\d+\.\dDRAGONS.x86_64.qcow2`,
    latestChecksumUrl: `${STREAM9}CHECKSUM`,
    layout: 'checksum-file',
    url: `${STREAM9}CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2`,
    checksum: { algo: 'sha256', hex: '2aa1716dc75fc5485df1b221d3d930f276024d70024f68f9ee047dad0e03d85d' },
    date: '20260714',
  },
  rocky: {
    name: 'Rocky 9',
    latestUrl: `${ROCKY}Rocky-9-GenericCloud.latest.x86_64.qcow2`,
    latestChecksumUrl: `${ROCKY}Rocky-9-GenericCloud.latest.x86_64.qcow2.CHECKSUM`,
    layout: 'sidecar',
    // A sidecar names no versioned twin: the file it describes is the only URL there is.
    url: `${ROCKY}Rocky-9-GenericCloud.latest.x86_64.qcow2`,
    checksum: { algo: 'sha256', hex: '92c206cc6f790c61583247eefe87890f8828420662c17cacf247cec78ab4eec8' },
    lastModified: 'Mon, 01 Jun 2026 08:15:00 GMT',
    lastModifiedDay: '20260601',
  },
  fedora: {
    name: 'Fedora 44',
    latestUrl: `${FEDORA}Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2`,
    latestChecksumUrl: `${FEDORA}Fedora-Cloud-44-1.7-x86_64-CHECKSUM`,
    layout: 'checksum-file',
    url: `${FEDORA}Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2`,
    checksum: { algo: 'sha256', hex: '7c628c39d1b1b379bc0c1cee29402967eee32f2d61d95862d81d44a968114ac6' },
    lastModified: 'Tue, 21 Apr 2026 17:02:11 GMT',
    lastModifiedDay: '20260421',
  },
  sidecar: {
    name: 'Example',
    latestUrl: `${SIDECAR}example-cloud-image.qcow2`,
    latestChecksumUrl: `${SIDECAR}example-cloud-image.qcow2.sha256`,
    layout: 'sidecar',
    url: `${SIDECAR}example-cloud-image.qcow2`,
    checksum: { algo: 'sha256', hex: '12b5c20aafbf2c88907b40f4ab6eea91982aa37bf55bd41b1661c2b2ba67e209' },
    lastModified: 'Sun, 06 Sep 2026 23:59:59 GMT',
    lastModifiedDay: '20260906',
  },
};

/** The fake answers of all REAL upstreams: index pages and checksum files, and Last-Modified where needed. */
export function realRoutes(): Record<string, FakeAnswer | string> {
  const routes: Record<string, FakeAnswer | string> = {
    [DEBIAN_DAILY]: fixture('debian13/index.html'),
    [`${DEBIAN_DAILY}20260717-2542/SHA512SUMS`]: fixture('debian13/SHA512SUMS'),
    [UBUNTU_DAILY]: fixture('ubuntu2404/index.html'),
    [`${UBUNTU_DAILY}20260705/SHA256SUMS`]: fixture('ubuntu2404/SHA256SUMS'),
    [UBUNTU_RELEASES]: fixture('ubuntu-releases-noble/index.html'),
    [`${UBUNTU_RELEASES}release-20260618/SHA256SUMS`]: UBUNTU_RELEASE_SUMS,
    [NGINX_MIRROR]: fixture('nginx/index.html'),
    [`${NGINX_MIRROR}20251127-2309/SHA512SUMS`]: NGINX_DEBIAN_SUMS,
    [PYTHON_SERVER]: fixture('python-http-server/index.html'),
    [`${PYTHON_SERVER}20260102-1/SHA256SUMS`]: PYTHON_SERVER_SUMS,
    [`${ALMA}CHECKSUM`]: fixture('almalinux9/CHECKSUM'),
    [`${STREAM9}CHECKSUM`]: fixture('centos_stream9/CHECKSUM'),
    [`${ROCKY}Rocky-9-GenericCloud.latest.x86_64.qcow2.CHECKSUM`]: fixture('rocky9/CHECKSUM'),
    [`${FEDORA}Fedora-Cloud-44-1.7-x86_64-CHECKSUM`]: fixture('fedora44/Fedora-Cloud-44-1.7-x86_64-CHECKSUM'),
    [`${SIDECAR}example-cloud-image.qcow2.sha256`]: fixture('sidecar/example-cloud-image.qcow2.sha256'),
  };
  for (const upstream of Object.values(REAL)) {
    if (upstream.lastModified !== undefined) {
      routes[upstream.url] = { body: '', headers: { 'Last-Modified': upstream.lastModified } };
    }
  }
  return routes;
}

/** A definition as the loader returns it, naming its upstream. */
export function upstreamDefinition(
  name: string,
  source: { latestUrl: string; latestChecksumUrl: string } | undefined,
  versions: VersionDefinition[] = [],
): ImageDefinition {
  return {
    file: 'images.yml',
    line: 1,
    name,
    enable: true,
    format: 'qcow2',
    login: 'cloud',
    min_disk: 8,
    min_ram: 512,
    multi: true,
    keep: false,
    status: 'active',
    separator: ' ',
    tags: [],
    visibility: 'public',
    ...(source ? { latest_url: source.latestUrl, latest_checksum_url: source.latestChecksumUrl } : {}),
    meta: { os_distro: 'linux', os_version: '1' },
    versions,
  };
}

/** A written version of a definition: by default with a digest no upstream offers. */
export function writtenVersion(version: string, overrides: Partial<VersionDefinition> = {}): VersionDefinition {
  return {
    line: 20,
    version,
    url: `https://images.example.com/old-${version}.qcow2`,
    checksum: { algo: 'sha256', hex: '0'.repeat(64) },
    meta: {},
    ...overrides,
  };
}
