/*
 * scs-0102's rules on one image's own fields. Values and severities follow the SCS conformance tests
 * (SovereignCloudStack/standards: Tests/iaas/scs_0102_image_metadata, Tests/iaas/image-metadata/image-md-check.py)
 * unless a rule says otherwise. What is not known (no stored size yet, no created_at, no hash) is not judged.
 */

import { ARCHITECTURES, OS_PURPOSES, REPLACE_FREQUENCIES } from '../definitions/schema.js';
import { parseBuildDate, parseDay, parseTimestamp } from './dates.js';
import { fail, pass, warn, type Outcome } from './findings.js';
import type { ImageRule } from './image-metadata.js';
import { filled, type CheckOptions, type ImageSubject } from './image-subject.js';

// The conformance test's lists. Glance's own hypervisor_type values (`hyperv`, `vmware`, `lxc`, ..., which
// OIM's schema takes) are not among SCS_HYPERVISOR_TYPES.
const HW_DISK_BUSES = ['virtio', 'scsi'];
const SCS_HYPERVISOR_TYPES = ['qemu', 'kvm', 'xen', 'hyper-v', 'esxi'];
const HW_RNG_MODELS = ['virtio'];

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

function oneOf(list: readonly string[]): string {
  return list.join(', ');
}

function mandatoryEnum(image: ImageSubject, key: string, allowed: readonly string[]): Outcome {
  const value = image.properties[key];
  if (value === undefined) return fail(`${key} is not set (one of ${oneOf(allowed)})`);
  return allowed.includes(value) ? pass(`${key}=${value}`) : fail(`${key}="${value}" is not one of ${oneOf(allowed)}`);
}

function optionalEnum(image: ImageSubject, key: string, allowed: readonly string[]): Outcome {
  const value = image.properties[key];
  if (value === undefined) return pass(`${key} is not set`);
  return allowed.includes(value) ? pass(`${key}=${value}`) : fail(`${key}="${value}" is not one of ${oneOf(allowed)}`);
}

function nonEmpty(image: ImageSubject, key: string): Outcome {
  const value = image.properties[key];
  if (value === undefined) return fail(`${key} is not set`);
  return filled(value) ? pass(`${key}="${value}"`) : fail(`${key} is empty`);
}

function gib(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}

function checkMinDisk(image: ImageSubject): Outcome {
  const minDisk = image.min_disk;
  if (minDisk === undefined || !(minDisk > 0)) {
    return fail(`min_disk is ${minDisk === undefined ? 'not set' : minDisk}; it must be a non-zero size in GiB`);
  }
  const capacity = minDisk * GIB;
  const { size, virtual_size: virtualSize } = image;
  if (typeof size === 'number' && capacity < size) {
    return fail(`min_disk ${minDisk} GiB is smaller than the stored image (${gib(size)})`);
  }
  if (typeof virtualSize === 'number' && capacity < virtualSize) {
    const what = `the image's virtual size (${gib(virtualSize)})`;
    return warn(`min_disk ${minDisk} GiB is smaller than ${what}: a disk of min_disk cannot hold it`);
  }
  return typeof size === 'number'
    ? pass(`min_disk ${minDisk} GiB holds the stored image (${gib(size)})`)
    : pass(`min_disk ${minDisk} GiB; size unknown (nothing stored yet), not compared`);
}

function checkMinRam(image: ImageSubject): Outcome {
  const minRam = image.min_ram;
  if (minRam === undefined || !(minRam > 0)) {
    return fail(`min_ram is ${minRam === undefined ? 'not set' : minRam}; it must be a non-zero size in MiB`);
  }
  return minRam < 64 ? warn(`min_ram ${minRam} MiB is below 64 MiB`) : pass(`min_ram ${minRam} MiB`);
}

function checkOsPurpose(image: ImageSubject, options: CheckOptions): Outcome {
  const value = image.properties.os_purpose;
  // scs-0102-v1.1 recommends os_purpose, v2 makes it mandatory.
  const short = options.version === 'v2' ? fail : warn;
  const why = options.version === 'v2' ? 'mandatory in scs-0102-v2' : 'recommended with scs-0102-v1, mandatory from v2';
  if (value === undefined || value === '') return short(`os_purpose is not set (${why})`);
  if (!(OS_PURPOSES as readonly string[]).includes(value)) {
    return short(`os_purpose="${value}" is not one of ${oneOf(OS_PURPOSES)}`);
  }
  return value === 'oldgeneric'
    ? pass("os_purpose=oldgeneric (OIM's mark for a superseded generic image)")
    : pass(`os_purpose=${value}`);
}

function checkProvidedUntil(image: ImageSubject): Outcome {
  const value = image.properties.provided_until;
  if (value === undefined || value === '') return fail('provided_until is not set (YYYY-MM-DD, none or notice)');
  if (value === 'none' || value === 'notice' || parseDay(value) !== undefined) return pass(`provided_until=${value}`);
  return fail(`provided_until="${value}" is not YYYY-MM-DD, none or notice`);
}

function checkUuidValidity(image: ImageSubject): Outcome {
  const value = image.properties.uuid_validity;
  const forms = 'none, last-N, YYYY-MM-DD, notice or forever';
  if (value === undefined || value === '') return fail(`uuid_validity is not set (${forms})`);
  const ok = ['none', 'notice', 'forever'].includes(value) || /^last-\d+$/.test(value) || parseDay(value) !== undefined;
  return ok ? pass(`uuid_validity=${value}`) : fail(`uuid_validity="${value}" is not ${forms}`);
}

function checkHotfixHours(image: ImageSubject): Outcome {
  const value = image.properties.hotfix_hours;
  if (value === undefined) return pass('hotfix_hours is not set (optional)');
  return /^\d+$/.test(value) ? pass(`hotfix_hours=${value}`) : fail(`hotfix_hours="${value}" is not a number of hours`);
}

function checkImageSource(image: ImageSubject): Outcome {
  const value = image.properties.image_source;
  if (value === undefined) return fail('image_source is not set (a URL or "private")');
  if (value === 'private' || /^(https?|ftps?):\/\/\S/.test(value)) return pass(`image_source=${value}`);
  return fail(`image_source="${value}" is neither an http(s)/ftp(s) URL nor "private"`);
}

function checkBuildDate(image: ImageSubject, options: CheckOptions): Outcome {
  const value = image.properties.image_build_date;
  if (value === undefined || value === '') return fail('image_build_date is not set');
  const built = parseBuildDate(value);
  if (built === undefined) {
    return fail(`image_build_date="${value}" is not YYYY-MM-DD, YYYY-MM-DD hh:mm[:ss] or YYYY-MM-DDThh:mm:ssZ`);
  }
  const problems: string[] = [];
  const created = parseTimestamp(image.created_at);
  if (created !== undefined && built > created) {
    problems.push(`is after the image's registration (created_at ${image.created_at})`);
  }
  if (built > options.now.getTime()) problems.push('is in the future');
  if (problems.length > 0) return fail(`image_build_date ${value} ${problems.join(' and ')}`);
  if (image.created_at === undefined) return pass(`image_build_date=${value}; created_at unknown, not compared`);
  if (created === undefined) {
    return pass(`image_build_date=${value}; created_at "${image.created_at}" unreadable, not compared`);
  }
  return pass(`image_build_date=${value}`);
}

function checkHashAlgo(image: ImageSubject): Outcome {
  const algo = image.os_hash_algo;
  if (algo === undefined || algo === null) return pass('os_hash_algo unknown (no image data yet), not judged');
  if (algo === 'sha256' || algo === 'sha512') return pass(`os_hash_algo=${algo}`);
  return warn(`os_hash_algo=${algo}: sha256 or sha512 is recommended`);
}

type PropertyRule = Exclude<ImageRule, 'recency'>;

/** Every per-image rule but recency, which looks at the other images too. */
export const PROPERTY_RULES: Readonly<Record<PropertyRule, (image: ImageSubject, options: CheckOptions) => Outcome>> = {
  architecture: (image) => mandatoryEnum(image, 'architecture', ARCHITECTURES),
  min_disk: checkMinDisk,
  min_ram: checkMinRam,
  os_distro: (image) => nonEmpty(image, 'os_distro'),
  os_version: (image) => nonEmpty(image, 'os_version'),
  os_purpose: checkOsPurpose,
  hw_disk_bus: (image) => optionalEnum(image, 'hw_disk_bus', HW_DISK_BUSES),
  hypervisor_type: (image) => optionalEnum(image, 'hypervisor_type', SCS_HYPERVISOR_TYPES),
  hw_rng_model: (image) => optionalEnum(image, 'hw_rng_model', HW_RNG_MODELS),
  replace_frequency: (image) => mandatoryEnum(image, 'replace_frequency', REPLACE_FREQUENCIES),
  provided_until: checkProvidedUntil,
  uuid_validity: checkUuidValidity,
  hotfix_hours: checkHotfixHours,
  image_source: checkImageSource,
  image_description: (image) => nonEmpty(image, 'image_description'),
  image_original_user: (image) => nonEmpty(image, 'image_original_user'),
  image_build_date: checkBuildDate,
  os_hash_algo: checkHashAlgo,
};
