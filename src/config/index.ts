export { loadCloud, listClouds, ENVIRONMENT_CLOUD_NAME, type LoadCloudOptions } from './loader.js';
export { ConfigError } from './errors.js';
export { DEFAULT_SYSTEM_DIRS, type SearchOptions } from './search.js';
export type { Env } from './environment.js';
export type * from './types.js';
