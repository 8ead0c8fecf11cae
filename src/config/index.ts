export { loadCloud, listClouds, type LoadCloudOptions } from './loader.js';
export { ConfigError } from './errors.js';
export type { AuthConfig, ResolvedCloud } from './types.js';
