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

function outcome(slot: Slot | undefined, others: readonly string[], version: ScsVersion): Outcome {
  if (slot === undefined) return pass('not a visible public image with os_purpose=generic');
  if (others.length === 0) return pass(`the only visible public generic image for ${slot.description}`);
  // The requirement comes with scs-0102-v2; under v1 it is advice.
  const clash = version === 'v2' ? fail : warn;
  return clash(`more than one visible public generic image for ${slot.description}: also ${others.join(', ')}`);
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
    const others = slot === undefined ? [] : (holders.get(slot.key) ?? []).filter((j) => j !== i);
    const [verdict, message] = outcome(
      slot,
      others.map((j) => `"${images[j]?.name}"`),
      version,
    );
    return { rule: 'uniqueness', verdict, message, image: image.name };
  });
}
