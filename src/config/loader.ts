import path from 'node:path';
import { cloudError, type CloudOrigin } from './cloud-origin.js';
import { environmentOverrides, hasEnvironmentCloud } from './env-overrides.js';
import { envValue } from './environment.js';
import { ConfigError } from './errors.js';
import { rewriteLegacyKeys } from './legacy-keys.js';
import { deepMerge, normalizeKeys } from './merge.js';
import { readConfigFile } from './read-file.js';
import { applyRegion } from './regions.js';
import { resolveCloud } from './resolve.js';
import { AUTH_FIELDS, cloudEntrySchema, configFileSchema, parseOrThrow } from './schema.js';
import { findConfigFile, type SearchOptions } from './search.js';
import type { ResolvedCloud } from './types.js';
import type { Mapping } from '../util/objects.js';

/** The name of the cloud made of OS_* variables alone, as openstacksdk calls it. */
export const ENVIRONMENT_CLOUD_NAME = 'envvars';

export interface LoadCloudOptions extends SearchOptions {
  /** The cloud asked for explicitly (`--cloud`); wins over $OS_CLOUD. */
  cloudName?: string;
}

/**
 * Loads one cloud as the `openstack` CLI would: clouds.yaml merged with secure.yaml, the cloud chosen by
 * name, $OS_CLOUD, the OS_* environment or being the only one, and OS_* variables laid over its settings.
 * Throws ConfigError.
 */
export function loadCloud(options: LoadCloudOptions): ResolvedCloud {
  const config = readCloudsConfig(options);
  const choice = chooseCloud(options, config);
  const overrides = environmentOverrides(options.env);

  if (choice.kind === 'environment') {
    const origin: CloudOrigin = { name: ENVIRONMENT_CLOUD_NAME, files: [] };
    return resolveEntry(overrides, origin, ['environment'], options.homeDir);
  }

  const origin: CloudOrigin = { name: choice.name, files: config.filesDefining(choice.name) };
  const fromFiles = normalizeKeys(config.clouds[choice.name]) as Mapping;
  rejectProfile(fromFiles, origin);
  const requestedRegion = stringOrUndefined(overrides.region_name) ?? stringOrUndefined(fromFiles.region_name);
  const settings = deepMerge(applyRegion(fromFiles, requestedRegion, origin), overrides);
  const sources = Object.keys(overrides).length > 0 ? [...origin.files, 'environment'] : origin.files;
  return resolveEntry(settings, origin, sources, options.homeDir);
}

/** The names of the clouds in clouds.yaml (and secure.yaml), in file order. */
export function listClouds(options: SearchOptions): string[] {
  return Object.keys(readCloudsConfig(options).clouds);
}

function resolveEntry(settings: Mapping, origin: CloudOrigin, sources: string[], homeDir: string): ResolvedCloud {
  const entry = parseOrThrow(cloudEntrySchema, rewriteLegacyKeys(settings, AUTH_FIELDS), (problem) =>
    cloudError(origin, problem),
  );
  return resolveCloud(entry, origin, sources, homeDir);
}

interface CloudsConfig {
  /** Clouds by name: clouds.yaml with secure.yaml merged over it. */
  clouds: Record<string, Mapping>;
  cloudsFile: string | undefined;
  /** Every path tried for clouds.yaml, for "not found" messages. */
  searched: string[];
  filesDefining(name: string): string[];
}

function readCloudsConfig(options: SearchOptions): CloudsConfig {
  const cloudsFound = findConfigFile('clouds', options);
  const secureFile = findConfigFile('secure', options).path;
  const fromCloudsFile = readClouds(cloudsFound.path);
  const fromSecureFile = readClouds(secureFile);
  return {
    clouds: deepMerge(fromCloudsFile, fromSecureFile) as Record<string, Mapping>,
    cloudsFile: cloudsFound.path,
    searched: cloudsFound.searched,
    filesDefining: (name) => [
      ...(cloudsFound.path !== undefined && Object.hasOwn(fromCloudsFile, name) ? [cloudsFound.path] : []),
      ...(secureFile !== undefined && Object.hasOwn(fromSecureFile, name) ? [secureFile] : []),
    ],
  };
}

function readClouds(file: string | undefined): Record<string, Mapping> {
  if (file === undefined) return {};
  const content = readConfigFile(file);
  if (content === null || content === undefined) return {}; // an empty file
  const parsed = parseOrThrow(configFileSchema, content, (problem) => new ConfigError(`${file}: ${problem}`));
  return (parsed.clouds ?? {}) as Record<string, Mapping>;
}

type CloudChoice = { kind: 'file'; name: string } | { kind: 'environment' };

/** Explicit name, else $OS_CLOUD, else the OS_* environment, else the only cloud in the file. */
function chooseCloud(options: LoadCloudOptions, config: CloudsConfig): CloudChoice {
  const requested = options.cloudName || envValue(options.env, 'OS_CLOUD');
  const names = Object.keys(config.clouds);
  const environmentCloud = hasEnvironmentCloud(options.env);

  if (requested !== undefined) {
    if (Object.hasOwn(config.clouds, requested)) return { kind: 'file', name: requested };
    if (requested === ENVIRONMENT_CLOUD_NAME && environmentCloud) return { kind: 'environment' };
    throw unknownCloudError(requested, config);
  }
  if (environmentCloud) return { kind: 'environment' };
  const [onlyName] = names;
  if (names.length === 1 && onlyName !== undefined) return { kind: 'file', name: onlyName };
  if (names.length === 0) {
    throw new ConfigError(`No cloud configured: ${describeFile(config)}, and OS_AUTH_URL is not set`);
  }
  throw new ConfigError(
    `Several clouds are defined in ${config.cloudsFile ?? 'secure.yaml'} (${names.join(', ')}) ` +
      'and none was chosen: name one with --cloud or OS_CLOUD',
  );
}

function unknownCloudError(requested: string, config: CloudsConfig): ConfigError {
  const names = Object.keys(config.clouds);
  if (config.cloudsFile === undefined && names.length === 0) {
    return new ConfigError(`Cloud "${requested}" not found: ${describeFile(config)}`);
  }
  const known = names.length > 0 ? `clouds there: ${names.join(', ')}` : 'it defines no clouds';
  const environmentHint = requested === ENVIRONMENT_CLOUD_NAME ? '; the "envvars" cloud needs OS_AUTH_URL' : '';
  return new ConfigError(
    `Cloud "${requested}" is not defined in ${config.cloudsFile ?? 'secure.yaml'} (${known})${environmentHint}`,
  );
}

/** "<file> defines no clouds" or "no clouds.yaml found (searched: <dirs>)". */
function describeFile(config: CloudsConfig): string {
  if (config.cloudsFile !== undefined) return `${config.cloudsFile} defines no clouds`;
  const directories = [...new Set(config.searched.map((file) => path.dirname(file)))];
  return `no clouds.yaml, clouds.yml or clouds.json found (searched ${directories.join(', ')})`;
}

function rejectProfile(cloud: Mapping, origin: CloudOrigin): void {
  // `cloud:` is the old name of `profile:`.
  const profile = cloud.profile ?? cloud.cloud;
  if (profile === undefined || profile === null) return;
  const name = typeof profile === 'string' ? ` "${profile}"` : '';
  throw cloudError(
    origin,
    `vendor profiles (profile${name}) are not supported; ` +
      "put the profile's settings (auth_url, region_name, …) in the cloud itself",
  );
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
