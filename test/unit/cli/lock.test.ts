import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/exit.js';
import { acquireRunLock } from '../../../src/cli/lock.js';

describe('the run lock', () => {
  it('refuses a second run against the same cloud while the first holds the lock, and frees it on release', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-lock-'));
    const first = acquireRunLock('prod', 'https://keystone.example/v3', dir);
    expect(() => acquireRunLock('prod', 'https://keystone.example/v3', dir)).toThrow(UsageError);
    expect(() => acquireRunLock('prod', 'https://keystone.example/v3', dir)).toThrow(
      /another image-manager run \(pid \d+/,
    );
    const other = acquireRunLock('staging', 'https://keystone.example/v3', dir);
    other.release();
    first.release();
    const again = acquireRunLock('prod', 'https://keystone.example/v3', dir);
    again.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose process is gone', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-lock-'));
    const held = acquireRunLock('prod', 'https://k/v3', dir);
    held.release();
    // A lock file left by a crashed run: a pid that cannot exist.
    writeFileSync(held.path, '4194304999\n2026-01-01T00:00:00Z\n');
    const lock = acquireRunLock('prod', 'https://k/v3', dir);
    expect(lock.path).toBe(held.path);
    lock.release();
  });
});
