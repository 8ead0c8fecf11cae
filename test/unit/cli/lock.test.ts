import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedCloud } from '../../../src/config/types.js';
import { UsageError } from '../../../src/cli/exit.js';
import { acquireRunLock, lockScopeOf } from '../../../src/cli/lock.js';

const KEYSTONE = 'https://keystone.example/v3';
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'im-lock-'));

describe('the run lock', () => {
  it('refuses a second run against the same project while the first holds the lock, and frees it on release', () => {
    const dir = tempDir();
    const first = acquireRunLock({ authUrl: KEYSTONE, project: 'p-1', cloudName: 'prod' }, dir);
    expect(() => acquireRunLock({ authUrl: KEYSTONE, project: 'p-1', cloudName: 'prod' }, dir)).toThrow(UsageError);
    expect(() => acquireRunLock({ authUrl: KEYSTONE, project: 'p-1' }, dir)).toThrow(
      /another image-manager run \(pid \d+, since .*, cloud "prod"\) is working on project p-1 at https:\/\/keystone\.example/,
    );
    const other = acquireRunLock({ authUrl: KEYSTONE, project: 'p-2', cloudName: 'staging' }, dir);
    other.release();
    first.release();
    const again = acquireRunLock({ authUrl: KEYSTONE, project: 'p-1', cloudName: 'prod' }, dir);
    again.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('one cloud under two names in clouds.yaml shares one lock: the key is the Keystone URL and the project', () => {
    const dir = tempDir();
    const held = acquireRunLock({ authUrl: KEYSTONE, project: 'p-1', cloudName: 'prod' }, dir);
    expect(() => acquireRunLock({ authUrl: KEYSTONE, project: 'p-1', cloudName: 'prod-again' }, dir)).toThrow(
      /cloud "prod"\) is working on project p-1/,
    );
    held.release();
  });

  it.each([
    'https://keystone.example/v3/',
    'https://keystone.example',
    'https://keystone.example/',
    'HTTPS://Keystone.Example:443/v3',
  ])('the same Keystone written as %s is the same lock', (spelling) => {
    const dir = tempDir();
    const held = acquireRunLock({ authUrl: KEYSTONE, project: 'p-1' }, dir);
    expect(() => acquireRunLock({ authUrl: spelling, project: 'p-1' }, dir)).toThrow(UsageError);
    held.release();
  });

  it('another Keystone with the same project id is another lock', () => {
    const dir = tempDir();
    const held = acquireRunLock({ authUrl: KEYSTONE, project: 'p-1' }, dir);
    const other = acquireRunLock({ authUrl: 'https://keystone.other/v3', project: 'p-1' }, dir);
    other.release();
    held.release();
  });

  it('two regions of one Keystone and one project (two Glances) are two locks; one Glance however spelled is one', () => {
    const dir = tempDir();
    const one = { authUrl: KEYSTONE, project: 'p-1', imageEndpoint: 'http://glance-one.example:9292' };
    const held = acquireRunLock({ ...one, cloudName: 'region-one' }, dir);
    const other = acquireRunLock({ ...one, imageEndpoint: 'http://glance-two.example:9292', cloudName: 'two' }, dir);
    expect(() => acquireRunLock({ ...one, imageEndpoint: 'HTTP://Glance-One.example:9292/' }, dir)).toThrow(
      /cloud "region-one"\) is working on project p-1 at https:\/\/keystone\.example, Glance http:\/\/glance-one/,
    );
    other.release();
    held.release();
  });

  it('takes over a lock whose process is gone', () => {
    const dir = tempDir();
    const held = acquireRunLock({ authUrl: 'https://k/v3', project: 'p-1', cloudName: 'prod' }, dir);
    held.release();
    // A lock file left by a crashed run: a pid that cannot exist.
    writeFileSync(held.path, '4194304999\n2026-01-01T00:00:00Z\nprod\n');
    const lock = acquireRunLock({ authUrl: 'https://k/v3', project: 'p-1', cloudName: 'prod' }, dir);
    expect(lock.path).toBe(held.path);
    lock.release();
  });
});

describe('lockScopeOf', () => {
  const cloud = (name: string, scope: Record<string, string>): ResolvedCloud => ({
    name,
    sources: ['clouds.yaml'],
    auth: { type: 'password', authUrl: KEYSTONE, username: 'u', password: 'secret', scope },
    interface: 'public',
    tls: { verify: true },
  });

  it("takes the token's project id first: a scope by name and one by id are the same project", () => {
    const byName = lockScopeOf(cloud('a', { projectName: 'images', projectDomainName: 'Default' }), 'p-9');
    const byId = lockScopeOf(cloud('b', { projectId: 'p-9' }), 'p-9');
    expect(byName).toEqual({ authUrl: KEYSTONE, project: 'p-9', cloudName: 'a' });
    expect(byId.project).toBe(byName.project);
  });

  it('without a token: the configured project id, else its name and domain', () => {
    expect(lockScopeOf(cloud('a', { projectId: 'p-3' })).project).toBe('p-3');
    expect(lockScopeOf(cloud('a', { projectName: 'images', projectDomainId: 'default' })).project).toBe(
      'images@default',
    );
  });

  it('carries the image endpoint the run writes to, when given', () => {
    expect(lockScopeOf(cloud('a', { projectId: 'p-3' }), 'p-3', 'http://glance:9292')).toEqual({
      authUrl: KEYSTONE,
      project: 'p-3',
      cloudName: 'a',
      imageEndpoint: 'http://glance:9292',
    });
  });

  it('never contains the password', () => {
    expect(JSON.stringify(lockScopeOf(cloud('a', { projectId: 'p-3' }), 'p-3'))).not.toContain('secret');
  });
});
