import path from 'node:path';
import { ConfigError } from './errors.js';
import { envValue, type Env } from './environment.js';
import { isFile } from '../util/fs.js';

export interface SearchOptions {
  env: Env;
  cwd: string;
  homeDir: string;
  /** Searched after the user's directories; default {@link DEFAULT_SYSTEM_DIRS}. */
  systemDirs?: string[];
}

/** openstacksdk's site config dirs on Linux: platformdirs' site_config_dir, then the classic /etc/openstack. */
export const DEFAULT_SYSTEM_DIRS: readonly string[] = ['/etc/xdg/openstack', '/etc/openstack'];

export type ConfigFileKind = 'clouds' | 'secure';

const OVERRIDE_VARIABLE: Record<ConfigFileKind, string> = {
  clouds: 'OS_CLIENT_CONFIG_FILE',
  secure: 'OS_CLIENT_SECURE_FILE',
};

const EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

export interface FoundFile {
  /** The file to read, or undefined when none exists. */
  path: string | undefined;
  /** Every path tried, in order, for "not found" messages. */
  searched: string[];
}

/** The directories searched for clouds.yaml and secure.yaml, in order. */
export function searchDirectories(options: SearchOptions): string[] {
  const userConfigDirs = [path.join(options.homeDir, '.config', 'openstack')];
  // openstacksdk also looks in platformdirs' user_config_dir, which follows $XDG_CONFIG_HOME.
  const xdgConfigHome = envValue(options.env, 'XDG_CONFIG_HOME');
  if (xdgConfigHome !== undefined) userConfigDirs.unshift(path.join(xdgConfigHome, 'openstack'));
  const dirs = [options.cwd, ...userConfigDirs, ...(options.systemDirs ?? DEFAULT_SYSTEM_DIRS)];
  return [...new Set(dirs.map((dir) => path.resolve(options.cwd, dir)))];
}

/**
 * Finds clouds.yaml (or secure.yaml): the file named by $OS_CLIENT_CONFIG_FILE ($OS_CLIENT_SECURE_FILE)
 * if set, which must then exist; else the first of clouds.yaml, clouds.yml, clouds.json in each search directory.
 */
export function findConfigFile(kind: ConfigFileKind, options: SearchOptions): FoundFile {
  const overrideVariable = OVERRIDE_VARIABLE[kind];
  const override = envValue(options.env, overrideVariable);
  if (override !== undefined) {
    const overridePath = path.resolve(options.cwd, override);
    if (!isFile(overridePath)) {
      throw new ConfigError(`${overrideVariable} is set to ${overridePath}, but there is no such file`);
    }
    return { path: overridePath, searched: [overridePath] };
  }
  const searched = searchDirectories(options).flatMap((dir) =>
    EXTENSIONS.map((extension) => path.join(dir, kind + extension)),
  );
  return { path: searched.find(isFile), searched };
}
