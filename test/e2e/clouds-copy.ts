import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { e2e } from './harness.js';

/** A password no cloud has: a run must never print it (nor the right one). */
export const WRONG_PASSWORD = 'e2e-Wrong-Passw0rd-never-shown';
export const ADMIN_PASSWORD_OF_STACK = process.env.OPENSTACK_DEV_ADMIN_PASSWORD ?? 'admin-secret';

/**
 * The stack's clouds.yaml, copied into a temporary folder with one more cloud: devstack-admin's entry with a
 * wrong password, under `name`. Returns the copy's path (for OS_CLIENT_CONFIG_FILE).
 */
export function cloudsWithBrokenCopy(name: string): string {
  const config = parse(readFileSync(e2e.cloudsFile, 'utf8')) as { clouds: Record<string, { auth: object }> };
  const admin = config.clouds[e2e.adminCloud];
  if (!admin) throw new Error(`${e2e.cloudsFile} has no ${e2e.adminCloud}`);
  config.clouds[name] = { ...admin, auth: { ...admin.auth, password: WRONG_PASSWORD } };
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'im-e2e-clouds-')), 'clouds.yaml');
  writeFileSync(file, stringify(config));
  return file;
}
