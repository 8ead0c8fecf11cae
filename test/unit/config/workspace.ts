import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { onTestFinished } from 'vitest';
import type { LoadCloudOptions } from '../../../src/config/index.js';

/** A throwaway directory tree standing in for the machine: a working directory, a home and a system dir. */
export interface Workspace {
  cwd: string;
  home: string;
  /** ~/.config/openstack */
  userDir: string;
  /** The only system directory searched (instead of /etc/openstack). */
  systemDir: string;
  /** Writes `content` (YAML/JSON text, or an object dumped as YAML) to `dir/name`; returns the path. */
  write(dir: string, name: string, content: string | object): string;
  options(env?: Record<string, string | undefined>, cloudName?: string): LoadCloudOptions;
}

export function createWorkspace(): Workspace {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'image-manager-config-')));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const cwd = path.join(root, 'work');
  const home = path.join(root, 'home');
  const userDir = path.join(home, '.config', 'openstack');
  const systemDir = path.join(root, 'etc', 'openstack');
  for (const dir of [cwd, userDir, systemDir]) mkdirSync(dir, { recursive: true });
  return {
    cwd,
    home,
    userDir,
    systemDir,
    write(dir, name, content) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, typeof content === 'string' ? content : stringify(content, { version: '1.1' }));
      return file;
    },
    options(env = {}, cloudName) {
      return { env, cwd, homeDir: home, systemDirs: [systemDir], ...(cloudName === undefined ? {} : { cloudName }) };
    },
  };
}

/** A complete password cloud, for tests that care about something else. */
export function passwordCloud(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auth: {
      auth_url: 'https://keystone.example.com:5000',
      username: 'alice',
      password: 'pw-alice',
      user_domain_name: 'Default',
      project_name: 'images',
      project_domain_name: 'Default',
    },
    ...overrides,
  };
}

/** The error `run` throws (fails the test if it throws nothing). */
export function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected an error, but none was thrown');
}
