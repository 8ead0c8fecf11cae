/*
 * SCS compliance rules for public images, applied to images described as plain data (a Glance image, or a
 * definition before its import): scs-0102 "Image Metadata" (v1, and the v2 draft that makes os_purpose
 * mandatory) and scs-0104 "Standard Images" (v1, image list of the scs-compatible-iaas v5 spec).
 *
 * Values and severities follow the SCS conformance tests (SovereignCloudStack/standards:
 * Tests/iaas/scs_0102_image_metadata, Tests/iaas/image-metadata/image-md-check.py,
 * Tests/iaas/scs_0104_standard_images, Tests/iaas/scs-0104-v1-images-v5.yaml) unless a rule says otherwise.
 * What is not known (no stored size yet, no created_at, no hash) is not judged: that part of a rule is skipped.
 */

import { ARCHITECTURES, OS_PURPOSES, type REPLACE_FREQUENCIES } from '../definitions/schema.js';

export { ARCHITECTURES, OS_PURPOSES };

export type Verdict = 'PASS' | 'WARN' | 'FAIL';
export type ScsVersion = 'v1' | 'v2';

/** The per-image rules, in the order checkImage reports them. */
export const IMAGE_RULES = [
  'architecture', 'min_disk', 'min_ram', 'os_distro', 'os_version', 'os_purpose',
  'hw_disk_bus', 'hypervisor_type', 'hw_rng_model',
  'replace_frequency', 'provided_until', 'uuid_validity', 'hotfix_hours',
  'image_source', 'image_description', 'image_original_user', 'image_build_date', 'os_hash_algo',
  'recency',
] as const;
export type ImageRule = (typeof IMAGE_RULES)[number];
/** Across images: at most one visible public generic image per (architecture, os_distro, os_version). */
export type CrossImageRule = 'uniqueness';
/** scs-0104: presence of a standard image, and the origin of each image that stands for one. */
export type StandardImageRule = 'standard_image' | 'standard_image_source';
export type Rule = ImageRule | CrossImageRule | StandardImageRule;

export interface Finding {
  rule: Rule;
  verdict: Verdict;
  message: string;
  /** The image's name (for standard_image: the standard image's name). */
  image?: string;
}

/** An image as plain data; properties as Glance stores them (all strings). */
export interface ImageSubject {
  id?: string;
  name: string;
  properties: Record<string, string | undefined>;
  /** GiB. */
  min_disk?: number;
  /** MiB. */
  min_ram?: number;
  /** Bytes stored; null or absent while no data is uploaded (or for a definition). */
  size?: number | null;
  virtual_size?: number | null;
  /** Absent counts as public. */
  visibility?: string;
  os_hidden?: boolean;
  created_at?: string;
  os_hash_algo?: string | null;
}

export interface CheckOptions {
  version: ScsVersion;
  now: Date;
}

/** The conformance test's lists; Glance's own hypervisor_type values `hyperv`, `vmware`, `lxc`, ... are not among them. */
export const HW_DISK_BUSES = ['virtio', 'scsi'] as const;
export const HYPERVISOR_TYPES = ['qemu', 'kvm', 'xen', 'hyper-v', 'esxi'] as const;
export const HW_RNG_MODELS = ['virtio'] as const;
/** replace_frequency -> days until a replacement is due; null: never outdated. */
export const REPLACE_FREQUENCY_DAYS: Readonly<Record<(typeof REPLACE_FREQUENCIES)[number], number | null>> = {
  yearly: 365,
  quarterly: 92,
  monthly: 31,
  weekly: 7,
  daily: 1,
  critical_bug: null,
  never: null,
};
/** An image is outdated this many replace_frequency periods after its build date. */
export const RECENCY_TOLERANCE = 1.1;
/** Last words of a name that mark an image as a superseded one (besides a date). */
export const OUTDATED_MARKERS = ['old', 'prev'] as const;

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Dates (all UTC)

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(t);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? t : undefined;
}

function fromMatch(m: RegExpExecArray | null): number | undefined {
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return utc(y ?? 0, mo ?? 0, d ?? 0, h, mi, s);
}

/** `YYYY-MM-DD`. */
function parseDay(text: string): number | undefined {
  return fromMatch(/^(\d{4})-(\d{2})-(\d{2})$/.exec(text));
}

/** image_build_date: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm[:ss]` or `YYYY-MM-DDThh:mm:ssZ`. */
function parseBuildDate(text: string): number | undefined {
  return (
    parseDay(text) ??
    fromMatch(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)) ??
    fromMatch(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text))
  );
}

/** created_at as Glance writes it (ISO 8601, maybe with fractions or an offset); undefined when unreadable. */
function parseTimestamp(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const plain = parseBuildDate(text);
  if (plain !== undefined) return plain;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** A date stamp as the last word of a name: `YYYY-MM-DD` or `YYYYMMDD`, bare or in parentheses. */
function isDateMarker(word: string): boolean {
  const bare = word.startsWith('(') && word.endsWith(')') ? word.slice(1, -1) : word;
  return parseDay(bare) !== undefined || fromMatch(/^(\d{4})(\d{2})(\d{2})$/.exec(bare)) !== undefined;
}

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-image rules

type Outcome = [Verdict, string];
const pass = (message: string): Outcome => ['PASS', message];
const warn = (message: string): Outcome => ['WARN', message];
const fail = (message: string): Outcome => ['FAIL', message];

function prop(image: ImageSubject, key: string): string | undefined {
  return image.properties[key];
}

function filled(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function isHidden(image: ImageSubject): boolean {
  return image.os_hidden === true || image.properties['os_hidden']?.toLowerCase() === 'true';
}

function oneOf(list: readonly string[]): string {
  return list.join(', ');
}

function mandatoryEnum(image: ImageSubject, key: string, allowed: readonly string[]): Outcome {
  const value = prop(image, key);
  if (value === undefined) return fail(`${key} is not set (one of ${oneOf(allowed)})`);
  return allowed.includes(value) ? pass(`${key}=${value}`) : fail(`${key}="${value}" is not one of ${oneOf(allowed)}`);
}

function optionalEnum(image: ImageSubject, key: string, allowed: readonly string[]): Outcome {
  const value = prop(image, key);
  if (value === undefined) return pass(`${key} is not set`);
  return allowed.includes(value) ? pass(`${key}=${value}`) : fail(`${key}="${value}" is not one of ${oneOf(allowed)}`);
}

function nonEmpty(image: ImageSubject, key: string): Outcome {
  const value = prop(image, key);
  if (value === undefined) return fail(`${key} is not set`);
  return filled(value) ? pass(`${key}="${value}"`) : fail(`${key} is empty`);
}

function gib(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}

function checkMinDisk(image: ImageSubject): Outcome {
  const minDisk = image.min_disk;
  if (minDisk === undefined || !(minDisk > 0)) return fail(`min_disk is ${minDisk === undefined ? 'not set' : minDisk}; it must be a non-zero size in GiB`);
  const capacity = minDisk * GIB;
  const { size, virtual_size: virtualSize } = image;
  if (typeof size === 'number' && capacity < size) {
    return fail(`min_disk ${minDisk} GiB is smaller than the stored image (${gib(size)})`);
  }
  if (typeof virtualSize === 'number' && capacity < virtualSize) {
    return warn(`min_disk ${minDisk} GiB is smaller than the image's virtual size (${gib(virtualSize)}): a disk of min_disk cannot hold it`);
  }
  return typeof size === 'number'
    ? pass(`min_disk ${minDisk} GiB holds the stored image (${gib(size)})`)
    : pass(`min_disk ${minDisk} GiB; size unknown (nothing stored yet), not compared`);
}

function checkMinRam(image: ImageSubject): Outcome {
  const minRam = image.min_ram;
  if (minRam === undefined || !(minRam > 0)) return fail(`min_ram is ${minRam === undefined ? 'not set' : minRam}; it must be a non-zero size in MiB`);
  return minRam < 64 ? warn(`min_ram ${minRam} MiB is below 64 MiB`) : pass(`min_ram ${minRam} MiB`);
}

function checkOsPurpose(image: ImageSubject, version: ScsVersion): Outcome {
  const value = prop(image, 'os_purpose');
  // scs-0102-v1.1 recommends os_purpose, v2 makes it mandatory.
  const short = version === 'v2' ? fail : warn;
  const why = version === 'v2' ? 'mandatory in scs-0102-v2' : 'recommended with scs-0102-v1, mandatory from v2';
  if (value === undefined || value === '') return short(`os_purpose is not set (${why})`);
  if (!(OS_PURPOSES as readonly string[]).includes(value)) return short(`os_purpose="${value}" is not one of ${oneOf(OS_PURPOSES)}`);
  return value === 'oldgeneric'
    ? pass('os_purpose=oldgeneric (OIM\'s mark for a superseded generic image)')
    : pass(`os_purpose=${value}`);
}

function checkReplaceFrequency(image: ImageSubject): Outcome {
  return mandatoryEnum(image, 'replace_frequency', Object.keys(REPLACE_FREQUENCY_DAYS));
}

function checkProvidedUntil(image: ImageSubject): Outcome {
  const value = prop(image, 'provided_until');
  if (value === undefined || value === '') return fail('provided_until is not set (YYYY-MM-DD, none or notice)');
  if (value === 'none' || value === 'notice' || parseDay(value) !== undefined) return pass(`provided_until=${value}`);
  return fail(`provided_until="${value}" is not YYYY-MM-DD, none or notice`);
}

function checkUuidValidity(image: ImageSubject): Outcome {
  const value = prop(image, 'uuid_validity');
  if (value === undefined || value === '') return fail('uuid_validity is not set (none, last-N, YYYY-MM-DD, notice or forever)');
  const ok = ['none', 'notice', 'forever'].includes(value) || /^last-\d+$/.test(value) || parseDay(value) !== undefined;
  return ok ? pass(`uuid_validity=${value}`) : fail(`uuid_validity="${value}" is not none, last-N, YYYY-MM-DD, notice or forever`);
}

function checkHotfixHours(image: ImageSubject): Outcome {
  const value = prop(image, 'hotfix_hours');
  if (value === undefined) return pass('hotfix_hours is not set (optional)');
  return /^\d+$/.test(value) ? pass(`hotfix_hours=${value}`) : fail(`hotfix_hours="${value}" is not a number of hours`);
}

function checkImageSource(image: ImageSubject): Outcome {
  const value = prop(image, 'image_source');
  if (value === undefined) return fail('image_source is not set (a URL or "private")');
  if (value === 'private' || /^(https?|ftps?):\/\/\S/.test(value)) return pass(`image_source=${value}`);
  return fail(`image_source="${value}" is neither an http(s)/ftp(s) URL nor "private"`);
}

function checkBuildDate(image: ImageSubject, now: number): Outcome {
  const value = prop(image, 'image_build_date');
  if (value === undefined || value === '') return fail('image_build_date is not set');
  const built = parseBuildDate(value);
  if (built === undefined) return fail(`image_build_date="${value}" is not YYYY-MM-DD, YYYY-MM-DD hh:mm[:ss] or YYYY-MM-DDThh:mm:ssZ`);
  const problems: string[] = [];
  const created = parseTimestamp(image.created_at);
  if (created !== undefined && built > created) problems.push(`is after the image's registration (created_at ${image.created_at})`);
  if (built > now) problems.push('is in the future');
  if (problems.length > 0) return fail(`image_build_date ${value} ${problems.join(' and ')}`);
  const unknown = image.created_at === undefined ? '; created_at unknown, not compared' : created === undefined ? `; created_at "${image.created_at}" unreadable, not compared` : '';
  return pass(`image_build_date=${value}${unknown}`);
}

function checkHashAlgo(image: ImageSubject): Outcome {
  const algo = image.os_hash_algo;
  if (algo === undefined || algo === null) return pass('os_hash_algo unknown (no image data yet), not judged');
  return algo === 'sha256' || algo === 'sha512' ? pass(`os_hash_algo=${algo}`) : warn(`os_hash_algo=${algo}: sha256 or sha512 is recommended`);
}

// ---------------------------------------------------------------------------------------------------------------
// Recency

type Age =
  | { kind: 'current'; why: string }
  /** Outdated while its provided_until promise holds; `marked`: hidden, or its name's last word marks it as old. */
  | { kind: 'outdated'; marked: boolean; why: string }
  /** Outdated, and provided_until is missing or no date: nobody can tell whether the promise still holds. */
  | { kind: 'no-until'; why: string };

/** When an image is due for replacement: its build (or registration) plus 1.1 × replace_frequency. */
export type Replacement =
  | { due: false; why: string }
  | { due: true; built: number; at: number; age: string };

export function replacementDue(image: ImageSubject): Replacement {
  const frequency = prop(image, 'replace_frequency');
  if (frequency === undefined) return { due: false, why: 'no replace_frequency, recency not judged' };
  const days = (REPLACE_FREQUENCY_DAYS as Readonly<Record<string, number | null>>)[frequency];
  if (days === undefined) return { due: false, why: `replace_frequency "${frequency}" unknown, recency not judged` };
  if (days === null) return { due: false, why: `replace_frequency=${frequency}: never due for replacement` };
  const buildDate = prop(image, 'image_build_date');
  const built = (buildDate === undefined ? undefined : parseBuildDate(buildDate)) ?? parseTimestamp(image.created_at);
  if (built === undefined) return { due: false, why: 'no build date or registration date, recency not judged' };
  const at = built + RECENCY_TOLERANCE * days * DAY_MS;
  return { due: true, built, at, age: `built ${day(built)}, replace_frequency=${frequency}, replacement due ${day(at)}` };
}

function assessAge(image: ImageSubject, now: number): Age {
  const replacement = replacementDue(image);
  if (!replacement.due) return { kind: 'current', why: replacement.why };
  const age = replacement.age;
  if (now <= replacement.at) return { kind: 'current', why: `current (${age})` };
  const until = prop(image, 'provided_until');
  if (until === 'none' || until === 'notice') return { kind: 'current', why: `outdated (${age}), but provided_until=${until} makes no promise` };
  const untilDate = until === undefined ? undefined : parseBuildDate(until);
  if (untilDate === undefined) {
    return { kind: 'no-until', why: `outdated (${age}) and provided_until ${until === undefined ? 'is not set' : `"${until}" is no date`}` };
  }
  if (now > untilDate) return { kind: 'current', why: `outdated (${age}), but past provided_until ${until}: no promise any more` };
  const lastWord = image.name.includes(' ') ? image.name.slice(image.name.lastIndexOf(' ') + 1) : '';
  const marked = isHidden(image) || (OUTDATED_MARKERS as readonly string[]).includes(lastWord) || isDateMarker(lastWord);
  return { kind: 'outdated', marked, why: `outdated (${age}; provided_until ${until})` };
}

/** The name an outdated image's replacement carries: its own name less the last word. */
function replacementName(name: string): string | undefined {
  const space = name.lastIndexOf(' ');
  if (space < 0) return undefined;
  const short = name.slice(0, space).trimEnd();
  return short === '' ? undefined : short;
}

function checkRecency(image: ImageSubject, byName: ReadonlyMap<string, readonly ImageSubject[]>, now: number): Outcome {
  const age = assessAge(image, now);
  if (age.kind === 'current') return pass(age.why);
  if (age.kind === 'no-until') return fail(age.why);
  const short = replacementName(image.name);
  const replacement = short === undefined ? undefined : byName.get(short)?.find((other) => assessAge(other, now).kind === 'current');
  if (short === undefined || replacement === undefined) {
    return fail(`${age.why}, and no current image${short === undefined ? '' : ` named "${short}"`} replaces it`);
  }
  return age.marked
    ? pass(`${age.why}; replaced by "${short}"`)
    : warn(`${age.why}; replaced by "${short}", but neither hidden nor named as old (last word old, prev or a date)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Assembly

function groupByName(images: readonly ImageSubject[]): Map<string, ImageSubject[]> {
  const byName = new Map<string, ImageSubject[]>();
  for (const image of images) {
    const list = byName.get(image.name);
    if (list) list.push(image);
    else byName.set(image.name, [image]);
  }
  return byName;
}

function imageFindings(image: ImageSubject, options: CheckOptions, byName: ReadonlyMap<string, readonly ImageSubject[]>): Finding[] {
  const now = options.now.getTime();
  const outcomes: Record<ImageRule, () => Outcome> = {
    architecture: () => mandatoryEnum(image, 'architecture', ARCHITECTURES),
    min_disk: () => checkMinDisk(image),
    min_ram: () => checkMinRam(image),
    os_distro: () => nonEmpty(image, 'os_distro'),
    os_version: () => nonEmpty(image, 'os_version'),
    os_purpose: () => checkOsPurpose(image, options.version),
    hw_disk_bus: () => optionalEnum(image, 'hw_disk_bus', HW_DISK_BUSES),
    hypervisor_type: () => optionalEnum(image, 'hypervisor_type', HYPERVISOR_TYPES),
    hw_rng_model: () => optionalEnum(image, 'hw_rng_model', HW_RNG_MODELS),
    replace_frequency: () => checkReplaceFrequency(image),
    provided_until: () => checkProvidedUntil(image),
    uuid_validity: () => checkUuidValidity(image),
    hotfix_hours: () => checkHotfixHours(image),
    image_source: () => checkImageSource(image),
    image_description: () => nonEmpty(image, 'image_description'),
    image_original_user: () => nonEmpty(image, 'image_original_user'),
    image_build_date: () => checkBuildDate(image, now),
    os_hash_algo: () => checkHashAlgo(image),
    recency: () => checkRecency(image, byName, now),
  };
  return IMAGE_RULES.map((rule) => {
    const [verdict, message] = outcomes[rule]();
    return { rule, verdict, message, image: image.name };
  });
}

/**
 * The per-image rules of scs-0102, one Finding per rule (PASS too), in IMAGE_RULES order.
 * Alone, an outdated image has no replacement: use checkImages to let a current namesake count.
 */
export function checkImage(image: ImageSubject, options: CheckOptions): Finding[] {
  return imageFindings(image, options, groupByName([image]));
}

function isPublic(image: ImageSubject): boolean {
  return image.visibility === undefined || image.visibility === 'public';
}

function uniquenessFindings(images: readonly ImageSubject[], version: ScsVersion): Finding[] {
  const keyOf = (image: ImageSubject): string | undefined => {
    const distro = prop(image, 'os_distro');
    const osVersion = prop(image, 'os_version');
    if (!isPublic(image) || isHidden(image) || prop(image, 'os_purpose') !== 'generic' || !filled(distro) || !filled(osVersion)) return undefined;
    return JSON.stringify([prop(image, 'architecture') ?? '', distro, osVersion]);
  };
  const keys = images.map(keyOf);
  const buckets = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key !== undefined) buckets.set(key, [...(buckets.get(key) ?? []), i]);
  });
  // The requirement comes with scs-0102-v2; under v1 it is advice.
  const clash = version === 'v2' ? fail : warn;
  return images.map((image, i) => {
    const key = keys[i];
    const [verdict, message] = ((): Outcome => {
      if (key === undefined) return pass('not a visible public image with os_purpose=generic');
      const others = (buckets.get(key) ?? []).filter((j) => j !== i).map((j) => `"${images[j]?.name}"`);
      const [arch, distro, osVersion] = JSON.parse(key) as [string, string, string];
      const what = `(architecture ${arch || '-'}, os_distro ${distro}, os_version ${osVersion})`;
      return others.length === 0
        ? pass(`the only visible public generic image for ${what}`)
        : clash(`more than one visible public generic image for ${what}: also ${others.join(', ')}`);
    })();
    return { rule: 'uniqueness', verdict, message, image: image.name };
  });
}

/**
 * Per-image rules and the rules across images: uniqueness of generic images, and recency, where a current image
 * named like an outdated one less its last word replaces it. Keyed by id, else name (a repeated key gets `#n`).
 */
export function checkImages(images: readonly ImageSubject[], options: CheckOptions): Map<string, Finding[]> {
  const byName = groupByName(images);
  const uniqueness = uniquenessFindings(images, options.version);
  const result = new Map<string, Finding[]>();
  images.forEach((image, i) => {
    const base = image.id ?? image.name;
    let key = base;
    for (let n = 2; result.has(key); n++) key = `${base}#${n}`;
    const findings = imageFindings(image, options, byName);
    const unique = uniqueness[i];
    result.set(key, unique ? [...findings, unique] : findings);
  });
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// scs-0104

export interface StandardImageSpec {
  name: string;
  /** Images whose name matches (at the start, as Python's re.match) stand for it; else the exact name. */
  nameScheme?: RegExp;
  /** image_source must start with one of these. */
  sources: readonly string[];
  status: 'mandatory' | 'recommended' | 'optional';
}

const ubuntu = (codename: string): string[] => [
  `https://cloud-images.ubuntu.com/releases/${codename}/`,
  `https://cloud-images.ubuntu.com/${codename}/`,
];
const debian = (codename: string): string[] => [
  `https://cloud.debian.org/images/cloud/${codename}/`,
  `https://cdimage.debian.org/cdimage/cloud/${codename}/`,
];

/** scs-0104-v1 as tested by scs-compatible-iaas v5.1 (Tests/iaas/scs-0104-v1-images-v5.yaml), plus Debian 13 (optional). */
export const SCS_0104_V1_IMAGES: readonly StandardImageSpec[] = [
  { name: 'Ubuntu 24.04', sources: ubuntu('noble'), status: 'mandatory' },
  { name: 'Debian 12', sources: debian('bookworm'), status: 'recommended' },
  {
    name: 'ubuntu-capi-image',
    nameScheme: /^ubuntu-capi-image-v[0-9]\.[0-9]+(\.[0-9]+)?/,
    sources: [
      'https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/ubuntu-2204-kube',
      'https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/ubuntu-2404-kube',
      'https://nbg1.your-objectstorage.com/osism/openstack-k8s-capi-images/',
    ],
    status: 'recommended',
  },
  { name: 'Ubuntu 22.04', sources: ubuntu('jammy'), status: 'optional' },
  { name: 'Ubuntu 20.04', sources: ubuntu('focal'), status: 'optional' },
  { name: 'Debian 13', sources: debian('trixie'), status: 'optional' },
  { name: 'Debian 11', sources: debian('bullseye'), status: 'optional' },
  { name: 'Debian 10', sources: debian('buster'), status: 'optional' },
];

/**
 * scs-0104: each standard image present among the public (or community) images — a missing mandatory one FAILs,
 * a missing recommended one WARNs — and each image standing for one taken from the distribution's official place.
 */
export function checkStandardImages(images: readonly ImageSubject[], options: { specs?: readonly StandardImageSpec[] } = {}): Finding[] {
  const visible = images.filter((image) => isPublic(image) || image.visibility === 'community');
  const findings: Finding[] = [];
  for (const spec of options.specs ?? SCS_0104_V1_IMAGES) {
    const scheme = spec.nameScheme;
    const matches = visible.filter((image) => (scheme ? scheme.test(image.name) : image.name === spec.name));
    if (matches.length === 0) {
      const verdict: Verdict = spec.status === 'mandatory' ? 'FAIL' : spec.status === 'recommended' ? 'WARN' : 'PASS';
      findings.push({ rule: 'standard_image', verdict, message: `${spec.status} standard image "${spec.name}" is missing`, image: spec.name });
      continue;
    }
    findings.push({
      rule: 'standard_image',
      verdict: 'PASS',
      message: `${spec.status} standard image "${spec.name}" is present${scheme ? ` (${matches.map((m) => `"${m.name}"`).join(', ')})` : ''}`,
      image: spec.name,
    });
    for (const image of matches) {
      const source = prop(image, 'image_source');
      const ok = source !== undefined && spec.sources.some((prefix) => source.startsWith(prefix));
      findings.push({
        rule: 'standard_image_source',
        verdict: ok ? 'PASS' : 'FAIL',
        message: ok
          ? `image_source ${source} is an official source of "${spec.name}"`
          : `image_source ${source === undefined ? 'is not set' : `"${source}"`}: "${spec.name}" must come from ${spec.sources.join(' or ')}`,
        image: image.name,
      });
    }
  }
  return findings;
}

const RANK: Readonly<Record<Verdict, number>> = { PASS: 0, WARN: 1, FAIL: 2 };

/** FAIL over WARN over PASS; PASS for no findings. */
export function worstVerdict(findings: readonly Finding[]): Verdict {
  return findings.reduce<Verdict>((worst, f) => (RANK[f.verdict] > RANK[worst] ? f.verdict : worst), 'PASS');
}
