/**
 * The upstream layouts a definition may name with `upstream_layout:`, each implemented by one file of this
 * folder and listed in registry.ts. The names stand apart from the registry because the definition schema
 * needs them, and the layouts import from the schema (an import cycle otherwise).
 */
export const LAYOUT_NAMES = ['sidecar', 'dated-folders', 'checksum-file'] as const;

export type Layout = (typeof LAYOUT_NAMES)[number];
