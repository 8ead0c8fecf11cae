/*
 * scs-0102's rule across images: at most one visible public generic image per architecture, os_distro and
 * os_version, so that a user who asks for "the" Ubuntu 24.04 gets one answer.
 */

import { fail, pass, warn, type Finding, type Outcome } from './findings.js';
import { filled, isHidden, isPublic, type ImageSubject, type ScsVersion } from './image-subject.js';

/** What a visible public generic image must not share with another one; images with the same key clash. */
interface UniquenessKey {
  /** The architecture, os_distro and os_version, as one string to group by. */
  id: string;
  description: string;
}

function uniquenessKeyOf(image: ImageSubject): UniquenessKey | undefined {
  const { architecture = '', os_distro: distro, os_version: osVersion, os_purpose: purpose } = image.properties;
  if (!isPublic(image) || isHidden(image) || purpose !== 'generic' || !filled(distro) || !filled(osVersion)) {
    return undefined;
  }
  return {
    id: JSON.stringify([architecture, distro, osVersion]),
    description: `(architecture ${architecture || '-'}, os_distro ${distro}, os_version ${osVersion})`,
  };
}

/** The same message for every image of a key, so that a report lists the clash once with its images. */
function outcome(key: UniquenessKey | undefined, holders: readonly string[], version: ScsVersion): Outcome {
  if (key === undefined) return pass('not a visible public image with os_purpose=generic');
  if (holders.length === 1) return pass(`the only visible public generic image for ${key.description}`);
  // The requirement comes with scs-0102-v2; under v1 it is advice.
  const clash = version === 'v2' ? fail : warn;
  return clash(
    `${holders.length} visible public generic images for ${key.description}, where one is allowed: ` +
      holders.join(', '),
  );
}

/** One uniqueness finding per image, in the order given. */
export function uniquenessFindings(images: readonly ImageSubject[], version: ScsVersion): Finding[] {
  const keys = images.map(uniquenessKeyOf);
  const holders = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key) holders.set(key.id, [...(holders.get(key.id) ?? []), i]);
  });
  return images.map((image, i): Finding => {
    const key = keys[i];
    const sharing = key === undefined ? [] : (holders.get(key.id) ?? []);
    const [verdict, message] = outcome(
      key,
      sharing.map((j) => `"${images[j]?.name}"`),
      version,
    );
    return { rule: 'uniqueness', verdict, message, image: image.name };
  });
}
