import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A Keystone and two empty Glances (RegionOne, RegionTwo) on 127.0.0.1, just enough for the CLI's real HTTP
// client to authenticate, find Glance by region and observe an empty cloud: runs in-process without the stack.

export const PASSWORD = 'Fake-Pa55word-Right';
export const WRONG_PASSWORD = 'Fake-Pa55word-Wrong';
export const TOKEN = 'gAAAA-fake-token-never-printed';

export interface FakeOpenStack {
  url: string;
  /** Requests seen, as `METHOD PATH`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeOpenStack(): Promise<FakeOpenStack> {
  const requests: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void answer(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', base);
  if (req.method === 'POST' && url.pathname === '/v3/auth/tokens') {
    const body = Buffer.concat(chunks).toString('utf8');
    if (!body.includes(JSON.stringify(PASSWORD)))
      return send(res, 401, { error: { message: 'The request you have made requires authentication.' } });
    return send(res, 201, tokenBody(base), { 'X-Subject-Token': TOKEN });
  }
  if (req.headers['x-auth-token'] !== TOKEN) return send(res, 401, {});
  if (/^\/glance[12]\/v2\/images$/.test(url.pathname)) return send(res, 200, { images: [] });
  if (/^\/glance[12]\/v2\/info\/import$/.test(url.pathname)) {
    return send(res, 200, { 'import-methods': { value: ['glance-direct', 'web-download'] } });
  }
  return send(res, 404, {});
}

function tokenBody(base: string) {
  const expires = new Date(Date.now() + 3600_000).toISOString();
  const endpoint = (region: string, n: number) => ({
    interface: 'public',
    region_id: region,
    url: `${base}/glance${n}`,
  });
  return {
    token: {
      expires_at: expires,
      issued_at: new Date().toISOString(),
      user: { id: 'u-1', name: 'admin' },
      project: { id: 'p-1', name: 'admin' },
      roles: [{ name: 'admin' }],
      catalog: [{ type: 'image', name: 'glance', endpoints: [endpoint('RegionOne', 1), endpoint('RegionTwo', 2)] }],
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface FakeCloud {
  name: string;
  password?: string;
  region?: string;
  authUrl?: string;
}

/** A clouds.yaml in a new temporary folder with these clouds (default: the right password, RegionOne). */
export function cloudsFile(fake: FakeOpenStack, clouds: FakeCloud[]): string {
  const entries = clouds.map(
    ({ name, password = PASSWORD, region = 'RegionOne', authUrl = `${fake.url}/v3` }) =>
      `  ${name}:\n    auth:\n      auth_url: ${authUrl}\n      username: admin\n      password: ${password}\n` +
      `      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n` +
      `    region_name: ${region}\n`,
  );
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'im-clouds-')), 'clouds.yaml');
  writeFileSync(file, `clouds:\n${entries.join('')}`);
  return file;
}
