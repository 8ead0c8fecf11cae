import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './exit.js';

export interface RunLock {
  path: string;
  release(): void;
}

/**
 * One run per cloud at a time: a lock file holding the pid, so that overlapping cron jobs do not import
 * the same image twice. A lock left by a process that is gone is taken over.
 */
export function acquireRunLock(cloudName: string, authUrl: string, dir = os.tmpdir()): RunLock {
  const key = createHash('sha256').update(`${cloudName}\n${authUrl}`).digest('hex').slice(0, 16);
  const file = path.join(dir, `image-manager-${cloudName.replace(/[^A-Za-z0-9_.-]/g, '_')}-${key}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
      closeSync(fd);
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
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pidText, since] = readLock(file);
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        const other = `another image-manager run (pid ${pid}, since ${since ?? 'unknown'})`;
        throw new UsageError(`${other} is working on cloud "${cloudName}"; lock file ${file}`);
      }
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // someone else took it over first; the next attempt tells
      }
    }
  }
  throw new UsageError(`cannot take the lock ${file} for cloud "${cloudName}"`);
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
