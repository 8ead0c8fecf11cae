import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedCloud } from '../config/types.js';
import { UsageError } from './exit.js';

export interface RunLock {
  path: string;
  release(): void;
}

/** What a run works on: one project at one Keystone, in one Glance, whatever name clouds.yaml gives it. */
export interface LockScope {
  /** Keystone's URL (auth_url); its spelling (trailing slash, /v3, case of the host) does not matter. */
  authUrl: string;
  /** The project: best its id from the token, so that a scope by name and one by id agree. */
  project: string;
  /**
   * The Glance the run writes to (the catalog's image endpoint for the cloud's region, or the override): two
   * regions of one Keystone and one project are two Glances, and runs against them do not exclude each other.
   */
  imageEndpoint?: string;
  /** The cloud's name in clouds.yaml: for messages only, never part of the key. */
  cloudName?: string;
}

/** The lock scope of a cloud: the token's project id when known, else the configured id, else name@domain. */
export function lockScopeOf(cloud: ResolvedCloud, tokenProjectId?: string, imageEndpoint?: string): LockScope {
  const scope = 'scope' in cloud.auth ? cloud.auth.scope : {};
  const named = scope.projectName
    ? `${scope.projectName}@${scope.projectDomainId ?? scope.projectDomainName ?? ''}`
    : undefined;
  const project = tokenProjectId ?? scope.projectId ?? named ?? 'unscoped';
  return {
    authUrl: cloud.auth.authUrl,
    project,
    cloudName: cloud.name,
    ...(imageEndpoint === undefined ? {} : { imageEndpoint }),
  };
}

/** A service's URL in one spelling: scheme and host as URL normalizes them, no trailing slash, no version. */
export function keystoneKey(authUrl: string): string {
  let url = authUrl.trim();
  try {
    const parsed = new URL(url);
    url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    // not a URL: keyed as written
  }
  return url.replace(/\/+$/, '').replace(/\/v(3|2\.0)$/i, '');
}

/**
 * One run per project and Keystone at a time: a lock file holding the pid, so that overlapping cron jobs do not
 * import the same image twice, also when clouds.yaml names the cloud twice. A lock left by a process that is
 * gone is taken over. Runs on other hosts are kept apart by Glance itself (the importer's deterministic ids).
 */
export function acquireRunLock(scope: LockScope, dir = os.tmpdir()): RunLock {
  const keystone = keystoneKey(scope.authUrl);
  const glance = scope.imageEndpoint === undefined ? undefined : keystoneKey(scope.imageEndpoint);
  const keyed = glance === undefined ? `${keystone}\n${scope.project}` : `${keystone}\n${scope.project}\n${glance}`;
  const what = `project ${scope.project} at ${keystone}${glance === undefined ? '' : `, Glance ${glance}`}`;
  return acquireLock(keyed, `working on ${what}`, scope.cloudName, dir);
}

/**
 * One `mirror` per container or bucket at a time (`place`: its URL), so that overlapping cron jobs do not copy
 * the same image twice, nor prune what the other is writing.
 */
export function acquireMirrorLock(place: string, where: string, dir = os.tmpdir()): RunLock {
  return acquireLock(`mirror\n${keystoneKey(place)}`, `mirroring into ${where} (${place})`, undefined, dir);
}

/** The lock file of `keyed` (hashed into its name), taken over when its process is gone; else a usage error. */
function acquireLock(keyed: string, doing: string, cloudName: string | undefined, dir: string): RunLock {
  const key = createHash('sha256').update(keyed).digest('hex').slice(0, 16);
  const file = path.join(dir, `image-manager-${key}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n${cloudName ?? ''}\n`);
      closeSync(fd);
      return lockOn(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pidText, since, heldFor] = readLock(file);
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        const cloud = heldFor ? `, cloud "${heldFor}"` : '';
        const other = `another image-manager run (pid ${pid}, since ${since ?? 'unknown'}${cloud})`;
        throw new UsageError(`${other} is ${doing}; lock file ${file}`);
      }
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // someone else took it over first; the next attempt tells
      }
    }
  }
  throw new UsageError(`cannot take the lock ${file} for ${doing}`);
}

function lockOn(file: string): RunLock {
  let released = false;
  return {
    path: file,
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

function readLock(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
