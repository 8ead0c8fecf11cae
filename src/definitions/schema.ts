import { z } from 'zod';
import { isMapping } from '../util/objects.js';
import type { Checksum, MetaValue } from './types.js';
import { hasUserinfo } from '../net/redact.js';
import { calendarDate, YamlTimestamp } from '../yaml/pyyaml.js';

/*
 * OIM's yamale schema (etc/schema.yaml) in zod. Deliberate differences, each marked where it is made:
 * unknown keys are left to a separate check that only warns; os_distro also takes libosinfo ids;
 * os_purpose also takes `oldgeneric`; uuid_validity's `last-N` needs N >= 1; a checksum may be a bare
 * digest; version metas may be partial; build_date may be left out for a `latest` version; names and
 * versions must not be empty. Unquoted numbers in text fields are turned into text beforehand.
 */

const DISK_FORMATS = ['aki', 'ari', 'ami', 'raw', 'iso', 'vhd', 'vdi', 'qcow2', 'vmdk'] as const;
const VISIBILITIES = ['public', 'private', 'community', 'shared'] as const;
const IMAGE_STATUSES = ['active', 'deactivated'] as const;
/** How outdated versions are named: OIM's `NAME (VERSION)`, or scs-0102 v2's `NAME YYYYMMDD`. */
export const OUTDATED_NAME_STYLES = ['oim', 'scs'] as const;
export const ARCHITECTURES = ['x86_64', 'aarch64', 'risc-v'] as const;
/** OIM's hypervisor_type enum (Glance's values); the SCS rules accept another list (SCS_HYPERVISOR_TYPES). */
const OIM_HYPERVISOR_TYPES = ['hyperv', 'ironic', 'lxc', 'qemu', 'uml', 'vmware', 'xen'] as const;
const WATCHDOG_ACTIONS = ['disabled', 'reset', 'poweroff', 'pause', 'none'] as const;
export const REPLACE_FREQUENCIES = [
  'yearly',
  'quarterly',
  'monthly',
  'weekly',
  'daily',
  'critical_bug',
  'never',
] as const;
/** OIM's list; `oldgeneric` is what OIM itself gives a superseded generic image. */
export const OS_PURPOSES = ['generic', 'minimal', 'k8snode', 'gpu', 'network', 'custom', 'oldgeneric'] as const;
/** OIM's os_distro enum: Glance's documented values plus cirros and talos. */
const OIM_OS_DISTROS = [
  'arch',
  'centos',
  'cirros',
  'debian',
  'fedora',
  'freebsd',
  'gentoo',
  'mandrake',
  'mandriva',
  'mes',
  'msdos',
  'netbsd',
  'netware',
  'openbsd',
  'opensolaris',
  'opensuse',
  'rhel',
  'rocky',
  'sled',
  'talos',
  'ubuntu',
  'windows',
] as const;
/** SCS-0102 allows any libosinfo short id (almalinux, flatcar, gardenlinux, ...). */
const OS_DISTRO_ID = /^[a-z][a-z0-9._-]*$/;

/** Digest algorithms whose length is known; a bare digest's algorithm is inferred from its length. */
export const ALGO_BY_LENGTH: Readonly<Record<number, string>> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const LENGTH_BY_ALGO = new Map(Object.entries(ALGO_BY_LENGTH).map(([length, algo]) => [algo, Number(length)]));

// OIM's regexes; yamale applies them with re.match, i.e. anchored at the start only.
const HTTP_URL = /^https?:\/\/\w+.*/;
const HTTP_OR_FTP_URL = /^(http|ftp)s?:\/\/\w+.*/;
const IMAGE_URL = /^(http|ftp)s?:\/\/\w+.*|^(file:|file:\/\/\/)\w+.*/;
const SOURCE = /^(http|ftp)s?:\/\/\w+.*|^private$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHECKSUM = /^(\w+):([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{128})$/;
const BARE_DIGEST = /^([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{128})$/;
const LAST_N = /^last-[1-9][0-9]*$/;
/** PyYAML's timestamp forms, which yamale's day() also accepts when written as a quoted string. */
const TIME_OF_DAY = String.raw`(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?`;
const ZONE = String.raw`(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?`;
const DATE_TEXT = new RegExp(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:${TIME_OF_DAY}${ZONE})?$`);

/** `YYYY-MM-DD` of a YAML date or timestamp, or of a string in one of those forms; undefined otherwise. */
export function toIsoDate(value: unknown): string | undefined {
  if (value instanceof YamlTimestamp) return value.date;
  if (typeof value !== 'string') return undefined;
  const match = DATE_TEXT.exec(value.trim());
  if (match === null) return undefined;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  return calendarDate(year, month, day);
}

/** `algo:hex` (OIM's form, algo lowercased) or a bare digest; a string explains what is wrong. */
function parseChecksum(text: string): Checksum | string {
  const prefixed = CHECKSUM.exec(text);
  const bare = prefixed === null ? BARE_DIGEST.exec(text) : null;
  if (prefixed === null && bare === null) {
    return (
      'must be ALGO:HEX or a bare hex digest, with 32, 40, 64 or 128 lowercase hex digits ' +
      '(e.g. sha256:<64 hex digits>)'
    );
  }
  const hex = (prefixed?.[2] ?? bare?.[1]) as string;
  const algo = prefixed === null ? (ALGO_BY_LENGTH[hex.length] as string) : (prefixed[1] as string).toLowerCase();
  const expectedLength = LENGTH_BY_ALGO.get(algo);
  if (expectedLength !== undefined && expectedLength !== hex.length) {
    return `a ${algo} digest has ${expectedLength} hex digits, this one has ${hex.length}`;
  }
  return { algo, hex };
}

/** yamale treats an optional field set to null (`key:`) as absent. */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

function matching(pattern: RegExp, description: string) {
  return z.string().regex(pattern, { error: `must be ${description}` });
}

/** A URL field: one the tool may print or publish, so it must carry no user name or password. */
function url(pattern: RegExp, description: string) {
  return matching(pattern, description).refine((value) => !hasUserinfo(value), {
    error:
      'must not contain a user name or password (user:password@): it would be printed and published; ' +
      'let the server allow the download without it',
  });
}

/** Checks a value with `check`, which returns the output or a message; for fields zod has no type for. */
function custom<T>(check: (value: unknown) => T | { problem: string }) {
  return z.unknown().transform((value, ctx) => {
    const result = check(value);
    if (isMapping(result) && 'problem' in result) {
      ctx.issues.push({ code: 'custom', message: result.problem, input: value });
      return z.NEVER;
    }
    return result as T;
  });
}

const dateValue = custom((value) => toIsoDate(value) ?? { problem: 'must be a date (YYYY-MM-DD) or a timestamp' });

const providedUntil = custom((value) => {
  if (value === 'none') return value;
  return toIsoDate(value) ?? { problem: "must be 'none' or a date (YYYY-MM-DD)" };
});

const uuidValidity = custom((value) => {
  if (value === 'none' || value === 'forever' || value === 'notice') return value;
  // OIM accepts any `last-...`; only a positive count means anything.
  if (typeof value === 'string' && LAST_N.test(value)) return value;
  const problem = 'must be none, forever, notice, last-N (N a positive integer) or a date (YYYY-MM-DD)';
  return toIsoDate(value) ?? { problem };
});

// OIM takes only its enum; other lowercase ids pass here and get a warning from the image checks.
const osDistro = z.string().regex(OS_DISTRO_ID, {
  error: `must be a lowercase OS id, such as one of ${OIM_OS_DISTROS.join(', ')}`,
});

const checksum = custom((value) => {
  if (typeof value !== 'string') return { problem: 'must be a string ALGO:HEX' };
  const parsed = parseChecksum(value);
  return typeof parsed === 'string' ? { problem: parsed } : parsed;
});

/** A property value Glance can hold; a date becomes its text. */
const metaValue = custom((value): MetaValue | { problem: string } => {
  if (value instanceof YamlTimestamp) return value.text;
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as MetaValue;
  return { problem: 'must be a single value (text, number, boolean or null), not a map or a list' };
});

const metaShape = {
  architecture: z.enum(ARCHITECTURES),
  hotfix_hours: optional(z.int().min(0)),
  hw_disk_bus: z.literal(['virtio', 'scsi', null]),
  hw_firmware_type: z.literal(['uefi', null]).optional(),
  hw_machine_type: z.literal(['pc', 'q35', 'virt', null]).optional(),
  hw_rng_model: z.literal(['virtio', null]).optional(),
  hw_scsi_model: optional(z.literal('virtio-scsi')),
  hw_vif_multiqueue_enabled: optional(z.boolean()),
  hw_watchdog_action: optional(z.enum(WATCHDOG_ACTIONS)),
  hypervisor_type: z.enum(OIM_HYPERVISOR_TYPES),
  image_description: optional(z.string()),
  os_distro: osDistro,
  os_version: optional(z.string()),
  os_purpose: z.enum(OS_PURPOSES),
  patchlevel: optional(z.string()),
  provided_until: providedUntil,
  replace_frequency: z.enum(REPLACE_FREQUENCIES),
  uuid_validity: uuidValidity,
};

/** Unknown meta keys are kept: they are published as image properties. */
const metaSchema = z.object(metaShape).catchall(metaValue);
/** A version's meta only overrides the image's, so nothing in it is required (OIM's schema requires it all). */
const versionMetaSchema = metaSchema.partial();

const versionSchema = z.object({
  // Required by OIM's schema; left optional here so a `latest` version can go without (see image checks).
  build_date: optional(dateValue),
  checksum: optional(checksum),
  checksum_url: optional(url(HTTP_URL, 'an http(s):// URL')),
  checksums_url: optional(url(HTTP_URL, 'an http(s):// URL')),
  hidden: optional(z.boolean()),
  image_description: optional(z.string()),
  meta: optional(versionMetaSchema),
  os_version: optional(z.string()),
  source: optional(url(SOURCE, "an http(s):// or ftp(s):// URL, or 'private'")),
  url: url(IMAGE_URL, 'an http(s)://, ftp(s):// or file: URL'),
  mirror_url: optional(url(IMAGE_URL, 'an http(s)://, ftp(s):// or file: URL')),
  // Not OIM's: an unknown key there. The mirror's copy of a packed url is the image unpacked, not what checksum is of.
  mirror_checksum: optional(checksum),
  version: z.string().min(1),
  visibility: optional(z.enum(VISIBILITIES)),
  id: optional(matching(UUID, 'a UUID in lowercase hex (8-4-4-4-12)')),
});

/** A track goes into a URL's file name: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
const TRACK = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function upstreamTracks() {
  return custom((value): string[] | { problem: string } => {
    const quote = "a non-empty list of quoted texts such as ['1.35', '1.36'] (YAML reads unquoted 1.30 as 1.3)";
    if (!Array.isArray(value) || value.length === 0) return { problem: `must be ${quote}` };
    const odd = value.find((track) => typeof track !== 'string' || !TRACK.test(track));
    if (odd !== undefined) {
      const which =
        typeof odd === 'string'
          ? `"${odd}" holds a character other than letters, digits, . _ -`
          : `${String(odd)} is no text`;
      return { problem: `must be ${quote}; ${which}` };
    }
    const twice = value.find((track, i) => value.indexOf(track) !== i);
    return twice === undefined ? (value as string[]) : { problem: `names track "${twice}" twice` };
  });
}

export const imageSchema = z.object({
  // OIM's schema requires it, but OIM itself treats a missing `enable` as true.
  enable: z.boolean().default(true),
  format: z.enum(DISK_FORMATS),
  // Not OIM's: an unknown key there. The file a releases feed at latest_url attaches (the release-feed layout).
  latest_asset: optional(z.string().min(1)),
  latest_checksum_url: optional(url(HTTP_URL, 'an http(s):// URL')),
  latest_url: optional(url(HTTP_OR_FTP_URL, 'an http(s):// or ftp(s):// URL')),
  login: z.string(),
  meta: metaSchema,
  min_disk: z.int().min(0),
  min_ram: z.int().min(0),
  multi: z.boolean(),
  keep: optional(z.boolean()),
  name: z.string().min(1),
  // Not OIM's: an unknown key there. Absent: --outdated-names, else oim.
  outdated_names: optional(z.enum(OUTDATED_NAME_STYLES)),
  password: optional(z.string()),
  shortname: optional(z.string()),
  status: z.enum(IMAGE_STATUSES),
  separator: optional(z.string()),
  tags: z.array(z.string()),
  // Not OIM's: an unknown key there. Absent: the layout latest_url and latest_checksum_url have the shape of.
  // The registry of layouts (src/upstream/layouts/) knows the names; a run's preflight refuses unknown ones.
  upstream_layout: optional(z.string().min(1)),
  // Not OIM's. Each track is put for `{track}` into latest_url: one definition follows several marker files.
  upstream_tracks: optional(upstreamTracks()),
  versions: z.array(versionSchema),
  visibility: z.enum(VISIBILITIES),
});

export type ParsedImage = z.output<typeof imageSchema>;
export type ParsedVersion = z.output<typeof versionSchema>;

export const FILE_KEYS: ReadonlySet<string> = new Set(['images']);
export const IMAGE_KEYS: ReadonlySet<string> = new Set(Object.keys(imageSchema.shape));
export const VERSION_KEYS: ReadonlySet<string> = new Set(Object.keys(versionSchema.shape));
export const META_KEYS: ReadonlySet<string> = new Set(Object.keys(metaShape));
