export { DefinitionError, FilterError, formatIssue } from './errors.js';
export { loadDefinitions, type LoadedDefinitions } from './load.js';
export { naturalCompare } from './natural-sort.js';
export { compileFilter, selectDefinitions, type SelectOptions } from './select.js';
export type * from './types.js';
