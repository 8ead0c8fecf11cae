import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { envValue, type Env } from './environment.js';
import { ConfigError } from './errors.js';

/** What an S3 client needs to know of its operator: the keys, and the region and endpoint when they are set. */
export interface S3Profile {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
  endpoint?: string;
  /** Where the keys came from, for messages: `the environment`, `/root/.aws/credentials [rgw]`. */
  origin: string;
  /** Said to the operator: e.g. the credentials file is readable by others. */
  warnings: string[];
}

export interface S3ProfileOptions {
  env: Env;
  homeDir: string;
  /** --s3-profile: this profile of the files, even when the environment holds keys. */
  profile?: string;
}

type Section = Record<string, string>;

/**
 * The S3 keys as the AWS CLI finds them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY when both are set (and no
 * profile was asked for), else the profile (--s3-profile, AWS_PROFILE, `default`) of the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials). Region and endpoint: AWS_REGION / AWS_DEFAULT_REGION and
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL first, then the profile in the config file (AWS_CONFIG_FILE,
 * ~/.aws/config), then the credentials file's section.
 */
export function loadS3Profile(options: S3ProfileOptions): S3Profile {
  const { env } = options;
  const fromEnv = { id: envValue(env, 'AWS_ACCESS_KEY_ID'), secret: envValue(env, 'AWS_SECRET_ACCESS_KEY') };
  const profile = options.profile ?? envValue(env, 'AWS_PROFILE') ?? 'default';
  const config = readProfile(configFile(options), profile, 'config');
  if (options.profile === undefined && fromEnv.id !== undefined && fromEnv.secret !== undefined) {
    const sessionToken = envValue(env, 'AWS_SESSION_TOKEN');
    const keys = { accessKeyId: fromEnv.id, secretAccessKey: fromEnv.secret, ...(sessionToken && { sessionToken }) };
    return { ...keys, ...placeOf(env, config?.section), origin: 'the environment', warnings: [] };
  }
  const file = credentialsFile(options);
  const found = readProfile(file, profile, 'credentials');
  if (!found) {
    const why = options.profile === undefined ? 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and ' : '';
    throw new ConfigError(`S3 credentials: ${why}${file} has no profile [${profile}]`);
  }
  const keys = keysOf(found.section, `${file} [${profile}]`);
  const place = placeOf(env, { ...found.section, ...config?.section });
  return { ...keys, ...place, origin: `${file} [${profile}]`, warnings: found.warnings };
}

function keysOf(section: Section, where: string): Pick<S3Profile, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  const accessKeyId = section.aws_access_key_id;
  const secretAccessKey = section.aws_secret_access_key;
  if (!accessKeyId) throw new ConfigError(`S3 credentials: ${where} has no aws_access_key_id`);
  if (!secretAccessKey) throw new ConfigError(`S3 credentials: ${where} has no aws_secret_access_key`);
  const sessionToken = section.aws_session_token;
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

function placeOf(env: Env, section: Section | undefined): Pick<S3Profile, 'region' | 'endpoint'> {
  const region = envValue(env, 'AWS_REGION') ?? envValue(env, 'AWS_DEFAULT_REGION') ?? section?.region;
  const endpoint = envValue(env, 'AWS_ENDPOINT_URL_S3') ?? envValue(env, 'AWS_ENDPOINT_URL') ?? section?.endpoint_url;
  return { ...(region && { region }), ...(endpoint && { endpoint }) };
}

function credentialsFile({ env, homeDir }: S3ProfileOptions): string {
  return envValue(env, 'AWS_SHARED_CREDENTIALS_FILE') ?? path.join(homeDir, '.aws', 'credentials');
}

function configFile({ env, homeDir }: S3ProfileOptions): string {
  return envValue(env, 'AWS_CONFIG_FILE') ?? path.join(homeDir, '.aws', 'config');
}

/**
 * A profile's section of a credentials or config file (the config file names it `[profile NAME]`, except
 * `[default]`); undefined when the file or the section is missing. An unreadable file is an error naming it.
 */
function readProfile(
  file: string,
  profile: string,
  kind: 'credentials' | 'config',
): { section: Section; warnings: string[] } | undefined {
  const text = readOptional(file);
  if (text === undefined) return undefined;
  const sections = parseAwsIni(text, file);
  const name = kind === 'config' && profile !== 'default' ? `profile ${profile}` : profile;
  const section = sections.get(name);
  if (!section) return undefined;
  return { section, warnings: kind === 'credentials' ? exposure(file) : [] };
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read ${file} (${code ?? 'unknown error'})`);
  }
}

/** A credentials file others may read, as ssh warns of a private key. */
function exposure(file: string): string[] {
  const mode = statSync(file).mode;
  if ((mode & 0o077) === 0) return [];
  return [`${file} can be read by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`];
}

/**
 * The AWS shared files' INI: `[section]` headers, `key = value` lines, `#` and `;` comment lines; indented lines
 * continue a nested setting (e.g. `s3 =` and its subkeys), which S3's keys never need and are skipped. Written
 * here rather than taken from `ini`, which splits section names at dots (`[profile rgw.prod]`). A line that is
 * none of these is an error naming the file and line, never quoting it (it may hold a secret).
 */
export function parseAwsIni(text: string, file: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || /^\s/.test(raw)) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header?.[1]) {
      current = sections.get(header[1]) ?? {};
      sections.set(header[1], current);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0 || current === undefined) {
      throw new ConfigError(`${file}, line ${index + 1}: neither [section] nor key = value under a section`);
    }
    current[line.slice(0, equals).trim().toLowerCase()] = line.slice(equals + 1).trim();
  }
  return sections;
}
