/*
 * scs-0102's rule across images: at most one visible public generic image per architecture, os_distro and
 * os_version, so that a user who asks for "the" Ubuntu 24.04 gets one answer.
 */

import { fail, pass, warn, type Finding, type Outcome } from './findings.js';
import { filled, isHidden, isPublic, type ImageSubject, type ScsVersion } from './image-subject.js';

/** Where a visible public generic image stands; images in the same slot clash. */
interface Slot {
  key: string;
  description: string;
}

function slotOf(image: ImageSubject): Slot | undefined {
  const { architecture = '', os_distro: distro, os_version: osVersion, os_purpose: purpose } = image.properties;
  if (!isPublic(image) || isHidden(image) || purpose !== 'generic' || !filled(distro) || !filled(osVersion)) {
    return undefined;
  }
  return {
    key: JSON.stringify([architecture, distro, osVersion]),
    description: `(architecture ${architecture || '-'}, os_distro ${distro}, os_version ${osVersion})`,
  };
}

/** The same message for every image of a slot, so that a report lists the clash once with its images. */
function outcome(slot: Slot | undefined, holders: readonly string[], version: ScsVersion): Outcome {
  if (slot === undefined) return pass('not a visible public image with os_purpose=generic');
  if (holders.length === 1) return pass(`the only visible public generic image for ${slot.description}`);
  // The requirement comes with scs-0102-v2; under v1 it is advice.
  const clash = version === 'v2' ? fail : warn;
  return clash(
    `${holders.length} visible public generic images for ${slot.description}, where one is allowed: ` +
      holders.join(', '),
  );
}

/** One uniqueness finding per image, in the order given. */
export function uniquenessFindings(images: readonly ImageSubject[], version: ScsVersion): Finding[] {
  const slots = images.map(slotOf);
  const holders = new Map<string, number[]>();
  slots.forEach((slot, i) => {
    if (slot) holders.set(slot.key, [...(holders.get(slot.key) ?? []), i]);
  });
  return images.map((image, i): Finding => {
    const slot = slots[i];
    const sharing = slot === undefined ? [] : (holders.get(slot.key) ?? []);
    const [verdict, message] = outcome(
      slot,
      sharing.map((j) => `"${images[j]?.name}"`),
      version,
    );
    return { rule: 'uniqueness', verdict, message, image: image.name };
  });
}
