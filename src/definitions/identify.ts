import { identityName } from './publishes.js';
import type { ImageDefinition } from './types.js';
import type { GlanceImage } from '../openstack/image.js';
import { versionInName } from './names.js';

/** A managed image and the definition version it belongs to. */
export interface OwnedImage {
  image: GlanceImage;
  version: string;
  /** How the version was found: from the properties the tool wrote, or (for older images) the name. */
  via: 'properties' | 'name' | 'created_at';
}

export interface Ownership {
  /** Per definition name, its images, in no particular order. Managed images of no loaded definition are in none. */
  byDefinition: Map<string, OwnedImage[]>;
}

/**
 * Which managed image belongs to which definition. An image is managed when it carries the tag (and is
 * ours to change: owned by the project, or public, as OIM decides). It belongs to a definition by the
 * `image_name` and `internal_version` properties the tool writes; images written before those existed are
 * recognised by their name.
 */
export function assignOwnership(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  tag: string,
  projectId: string | undefined,
): Ownership {
  const byIdentity = byIdentityName(definitions);
  const byDefinition = new Map<string, OwnedImage[]>(definitions.map((def) => [def.name, []]));

  for (const image of observed) {
    if (!isManaged(image, tag, projectId)) continue;
    const owned = claim(image, byIdentity, definitions);
    if (owned) byDefinition.get(owned.def.name)?.push(owned.owned);
  }
  return { byDefinition };
}

/**
 * The managed images none of `definitions` claims: those a run of them leaves alone. Whether an image is claimed
 * does not depend on a definition's versions, only on its names, so the definitions as loaded answer it.
 */
export function unclaimedImages(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  tag: string,
  projectId: string | undefined,
): GlanceImage[] {
  const byIdentity = byIdentityName(definitions);
  return observed.filter((image) => isManaged(image, tag, projectId) && !claim(image, byIdentity, definitions));
}

/** Rule 12: an image users see (public or community, not os_hidden) that the tool does not manage. */
export function seenUnmanaged(image: GlanceImage, tag: string, projectId: string | undefined): boolean {
  const seen = image.visibility === 'public' || image.visibility === 'community';
  return seen && !image.os_hidden && !isManaged(image, tag, projectId);
}

function byIdentityName(definitions: ImageDefinition[]): Map<string, ImageDefinition> {
  const byIdentity = new Map<string, ImageDefinition>();
  for (const def of definitions) byIdentity.set(identityName(def), def);
  return byIdentity;
}

export function isManaged(image: GlanceImage, tag: string, projectId: string | undefined): boolean {
  if (!image.tags.includes(tag)) return false;
  return projectId === undefined || image.owner === projectId || image.visibility === 'public';
}

function claim(
  image: GlanceImage,
  byIdentity: Map<string, ImageDefinition>,
  definitions: ImageDefinition[],
): { def: ImageDefinition; owned: OwnedImage } | undefined {
  const identity = stringProperty(image, 'image_name');
  const internalVersion = stringProperty(image, 'internal_version');
  if (identity !== undefined) {
    const def = byIdentity.get(identity);
    if (!def) return undefined;
    const version = internalVersion ?? (image.name ? versionInName(def, image.name) : undefined);
    if (version !== undefined) return { def, owned: { image, version, via: internalVersion ? 'properties' : 'name' } };
    return { def, owned: { image, version: createdVersion(image), via: 'created_at' } };
  }
  if (!image.name) return undefined;
  for (const def of definitions) {
    const version = versionInName(def, image.name);
    if (version !== undefined) return { def, owned: { image, version, via: 'name' } };
    if (def.multi && image.name === def.name) {
      return internalVersion !== undefined
        ? { def, owned: { image, version: internalVersion, via: 'properties' } }
        : { def, owned: { image, version: createdVersion(image), via: 'created_at' } };
    }
  }
  return undefined;
}

/** OIM's stand-in for a plain-named image with no internal_version: the day it was created, as YYYYMMDD. */
function createdVersion(image: GlanceImage): string {
  return image.created_at.slice(0, 10).replace(/-/g, '');
}

function stringProperty(image: GlanceImage, key: string): string | undefined {
  const value = image[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
