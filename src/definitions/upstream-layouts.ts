/**
 * The upstream layouts a definition may name with `upstream_layout:`, each implemented by one file of
 * src/upstream/layouts/ and listed in its registry. The names are part of the definition format: the schema
 * checks them, and the registry's test checks that every name has its layout.
 */
export const LAYOUT_NAMES = ['sidecar', 'dated-folders', 'checksum-file'] as const;

export type Layout = (typeof LAYOUT_NAMES)[number];
