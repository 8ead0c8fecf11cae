import { request } from 'undici';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadCloud } from '../../src/config/index.js';
import { HttpClient } from '../../src/openstack/http.js';
import { Session } from '../../src/openstack/identity.js';
import { GlanceClient, type GlanceImage } from '../../src/openstack/image.js';
import { silentLog } from '../../src/openstack/log.js';
import { Redactor } from '../../src/net/redact.js';

/** Values written by `scripts/openstack-dev.sh env`; the e2e suite runs only with the local stack up. */
export const e2e = {
  cloudsFile: required('OS_CLIENT_CONFIG_FILE'),
  httpBase: required('IMAGE_MANAGER_E2E_HTTP'),
  wwwDir: required('IMAGE_MANAGER_E2E_WWW'),
  adminCloud: 'devstack-admin',
  memberCloud: 'devstack-member',
  /** The admin of devstack-admin, in RegionTwo: the stack's second glance-api, a Glance of its own. */
  region2Cloud: 'devstack-region2',
};

/** What this test file made in the web folder (the demo's too): removed when the file's tests are done. */
const madeInWww = new Set<string>();

/**
 * A path in the web folder ($IMAGE_MANAGER_E2E_WWW) for a file or folder a test makes there; every such path
 * is removed after the test file's last test, so the suite leaves nothing behind in the demo's web folder.
 */
export function wwwPath(name: string): string {
  const file = path.join(e2e.wwwDir, name);
  madeInWww.add(file);
  return file;
}

// Registered by every test file that imports the harness (vitest evaluates it once per file).
afterAll(() => {
  for (const file of madeInWww) rmSync(file, { recursive: true, force: true });
  madeInWww.clear();
});

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the e2e suite with the local stack (eval "$(scripts/openstack-dev.sh env)")`,
    );
  return value;
}

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export function glanceFor(cloudName: string): { glance: GlanceClient; session: Session; http: HttpClient } {
  const cloud = loadCloud({
    cloudName,
    env: { OS_CLIENT_CONFIG_FILE: e2e.cloudsFile },
    cwd: repoRoot,
    homeDir: '/nonexistent',
  });
  const http = new HttpClient({ redactor: new Redactor(), log: silentLog });
  const session = new Session(http, cloud);
  return { glance: new GlanceClient(session, cloud.imageEndpointOverride), session, http };
}

/** The images carrying `tag`, visible and hidden: what a test file's runs manage. */
export function managedImages(glance: GlanceClient, tag: string): Promise<GlanceImage[]> {
  return glance.listAllImages({ tags: [tag] });
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

function cliEnv(env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    OS_CLIENT_CONFIG_FILE: e2e.cloudsFile,
    ...env,
  };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

const cliPath = path.join(repoRoot, 'bin/image-manager.js');

/** Runs the built CLI (bin/image-manager.js) as an operator would. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: cliEnv(env),
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: for runs that must overlap. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: cliEnv(env) });
    const out: string[] = [];
    const err: string[] = [];
    child.stdout.on('data', (chunk) => out.push(String(chunk)));
    child.stderr.on('data', (chunk) => err.push(String(chunk)));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout: out.join(''), stderr: err.join('') }));
  });
}

/** A small, valid qcow2 made with qemu-img in the folder the local HTTP server serves. */
export function makeQcow2(sizeMiB = 1): { name: string; url: string; file: string; md5: string; sha512: string } {
  const name = `e2e-${randomUUID()}.qcow2`;
  const file = wwwPath(name);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, `${sizeMiB}M`]);
  const data = readFileSync(file);
  return {
    name,
    url: `${e2e.httpBase}/${name}`,
    file,
    md5: createHash('md5').update(data).digest('hex'),
    sha512: createHash('sha512').update(data).digest('hex'),
  };
}

export async function waitForStatus(
  glance: GlanceClient,
  id: string,
  wanted: string,
  timeoutMs = 120_000,
): Promise<GlanceImage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const image = await glance.getImage(id);
    if (image.status === wanted) return image;
    if (image.status === 'killed' || Date.now() > deadline) {
      throw new Error(`image ${id} is ${image.status}, waited for ${wanted}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether the stack's Swift answers (a stack started before Swift existed exports none): its e2e files skip. */
export async function swiftAnswers(): Promise<boolean> {
  const swiftUrl = process.env.IMAGE_MANAGER_E2E_SWIFT_URL;
  if (!swiftUrl || !process.env.IMAGE_MANAGER_E2E_MIRROR_CLOUD) return false;
  try {
    const res = await request(`${swiftUrl}/healthcheck`);
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}
