export { DefinitionError, formatIssue } from './errors.js';
export { loadDefinitions } from './load.js';
export { compileFilter, selectDefinitions } from './select.js';
