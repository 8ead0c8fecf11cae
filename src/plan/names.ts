import type { ImageDefinition } from '../definitions/types.js';

/** `NAME<sep>(VERSION)` for versions of a multi image, `NAME<sep>VERSION` for a single-version image. */
export function versionedName(def: ImageDefinition, version: string): string {
  return def.multi ? `${def.name}${def.separator}(${version})` : `${def.name}${def.separator}${version}`;
}

/** The newest version of a multi image carries the plain name. */
export function imageName(def: ImageDefinition, version: string, current: boolean): string {
  return def.multi && current ? def.name : versionedName(def, version);
}

/** The value written as `image_name`: what ties an image to its definition. */
export function identityName(def: ImageDefinition): string {
  const fromMeta = def.meta.image_name;
  return typeof fromMeta === 'string' && fromMeta !== '' ? fromMeta : def.name;
}

/** The version a name encodes for this definition, or undefined when the name is not one of its forms. */
export function versionInName(def: ImageDefinition, name: string): string | undefined {
  const prefix = `${def.name}${def.separator}`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  if (def.multi) return rest.startsWith('(') && rest.endsWith(')') && rest.length > 2 ? rest.slice(1, -1) : undefined;
  return rest.length > 0 ? rest : undefined;
}

/**
 * The name a usable image gets that claims a version beside the one kept (rule 11): the version's name,
 * `duplicate` and an id (its first 8 characters, or all of it when another duplicate shares them).
 */
export function duplicateName(def: ImageDefinition, version: string, id: string, otherIds: string[]): string {
  const short = id.slice(0, 8);
  const unique = otherIds.every((other) => other === id || other.slice(0, 8) !== short);
  return `${versionedName(def, version)} duplicate ${unique ? short : id}`;
}

/** Whether `name` is one `duplicateName` gives to an image of `version`. */
export function isDuplicateName(def: ImageDefinition, version: string, name: string): boolean {
  const prefix = `${versionedName(def, version)} duplicate `;
  return name.startsWith(prefix) && name.length > prefix.length && !name.slice(prefix.length).includes(' ');
}

/**
 * Every name the definition's images may carry: the plain name (multi) and each listed version's. What to ask
 * Glance for to find unmanaged images that share one (rule 12).
 */
export function publishedNames(def: ImageDefinition): string[] {
  const versioned = def.versions.map((version) => versionedName(def, version.version));
  return def.multi ? [def.name, ...versioned] : versioned;
}
