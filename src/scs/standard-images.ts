/*
 * scs-0104 "Standard Images" (v1, image list of the scs-compatible-iaas v5 spec): each standard image present
 * among the public (or community) images, and each image standing for one taken from the distribution's
 * official place. As the SCS conformance test does it (SovereignCloudStack/standards:
 * Tests/iaas/scs_0104_standard_images, Tests/iaas/scs-0104-v1-images-v5.yaml).
 */

import type { Finding, Verdict } from './findings.js';
import { isPublic, type ImageSubject } from './image-subject.js';

interface StandardImageSpec {
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
const REGIOCLOUD_CAPI = 'https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c';

/** scs-0104-v1 as tested by scs-compatible-iaas v5.1, plus Debian 13 (optional). */
export const SCS_0104_V1_IMAGES: readonly StandardImageSpec[] = [
  { name: 'Ubuntu 24.04', sources: ubuntu('noble'), status: 'mandatory' },
  { name: 'Debian 12', sources: debian('bookworm'), status: 'recommended' },
  {
    name: 'ubuntu-capi-image',
    nameScheme: /^ubuntu-capi-image-v[0-9]\.[0-9]+(\.[0-9]+)?/,
    sources: [
      `${REGIOCLOUD_CAPI}/openstack-k8s-capi-images/ubuntu-2204-kube`,
      `${REGIOCLOUD_CAPI}/openstack-k8s-capi-images/ubuntu-2404-kube`,
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

const MISSING: Readonly<Record<StandardImageSpec['status'], Verdict>> = {
  mandatory: 'FAIL',
  recommended: 'WARN',
  optional: 'PASS',
};

function presence(spec: StandardImageSpec, matches: readonly ImageSubject[]): Finding {
  const what = `${spec.status} standard image "${spec.name}"`;
  if (matches.length === 0) {
    return { rule: 'standard_image', verdict: MISSING[spec.status], message: `${what} is missing`, image: spec.name };
  }
  const names = spec.nameScheme ? ` (${matches.map((m) => `"${m.name}"`).join(', ')})` : '';
  return { rule: 'standard_image', verdict: 'PASS', message: `${what} is present${names}`, image: spec.name };
}

function origin(spec: StandardImageSpec, image: ImageSubject): Finding {
  const source = image.properties.image_source;
  const ok = source !== undefined && spec.sources.some((prefix) => source.startsWith(prefix));
  const given = source === undefined ? 'is not set' : `"${source}"`;
  const message = ok
    ? `image_source ${source} is an official source of "${spec.name}"`
    : `image_source ${given}: "${spec.name}" must come from ${spec.sources.join(' or ')}`;
  return { rule: 'standard_image_source', verdict: ok ? 'PASS' : 'FAIL', message, image: image.name };
}

/** A missing mandatory standard image FAILs, a missing recommended one WARNs; a wrong origin FAILs. */
export function checkStandardImages(
  images: readonly ImageSubject[],
  options: { specs?: readonly StandardImageSpec[] } = {},
): Finding[] {
  const visible = images.filter((image) => isPublic(image) || image.visibility === 'community');
  return (options.specs ?? SCS_0104_V1_IMAGES).flatMap((spec) => {
    const scheme = spec.nameScheme;
    const matches = visible.filter((image) => (scheme ? scheme.test(image.name) : image.name === spec.name));
    return [presence(spec, matches), ...matches.map((image) => origin(spec, image))];
  });
}
