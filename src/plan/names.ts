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
