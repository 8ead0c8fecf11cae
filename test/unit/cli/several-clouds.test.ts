import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worstExitCode } from '../../../src/cli/several-clouds.js';
import {
  cloudsFile,
  type FakeOpenStack,
  PASSWORD,
  startFakeOpenStack,
  TOKEN,
  WRONG_PASSWORD,
} from './fake-openstack.js';
import { runMain } from './run-main.js';

/** One definition with a fixed `id` (OIM's field): its import is planned with that id in every cloud. */
function definitions(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-defs-'));
  writeFileSync(
    path.join(dir, 'tiny.yml'),
    `images:
  - name: Tiny
    format: qcow2
    login: cirros
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: virtio
      hypervisor_type: qemu
      os_distro: cirros
      os_purpose: minimal
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '0.6.2'
        id: 3b0d3d1c-1111-4a4a-8b8b-0123456789ab
        url: http://images.test/tiny-0.6.2.qcow2
        checksum: sha512:${'ab'.repeat(64)}
        build_date: ${new Date().toISOString().slice(0, 10)}
`,
  );
  return dir;
}

let fake: FakeOpenStack;
beforeAll(async () => {
  fake = await startFakeOpenStack();
});
afterAll(() => fake.close());

const images = definitions();
const run = (args: string[], clouds: string) =>
  runMain(['--images', images, '--dry-run', ...args], { env: { OS_CLIENT_CONFIG_FILE: clouds } });

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('worstExitCode', () => {
  it.each([
    [[0, 0], 0],
    [[0, 1], 1],
    [[0, 2], 1],
    [[1, 2], 1],
    [[2, 2], 2],
    [[2], 2],
  ])('of %j is %i: a cloud not reached counts as failed when another was worked on', (codes, expected) => {
    expect(worstExitCode(codes)).toBe(expected);
  });
});

describe('a run on several clouds', () => {
  it('reaches two regions, each with its own section, and exits 0 when both are fine', async () => {
    const clouds = cloudsFile(fake, [{ name: 'one' }, { name: 'two', region: 'RegionTwo' }]);
    const result = await run(['--cloud', 'one', '--cloud', 'two', '--output', 'json'], clouds);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      exitCode: number;
      clouds: Record<string, { dryRun: boolean; plan: { actions: Array<{ kind: string; summary: string }> } }>;
    };
    expect(document.exitCode).toBe(0);
    expect(Object.keys(document.clouds)).toEqual(['one', 'two']);
    for (const cloud of ['one', 'two']) {
      expect(document.clouds[cloud]?.dryRun).toBe(true);
      expect(document.clouds[cloud]?.plan.actions.map((action) => action.kind)).toEqual(['import']);
    }
    expect(fake.requests.some((request) => request.startsWith('GET /glance1/'))).toBe(true);
    expect(fake.requests.some((request) => request.startsWith('GET /glance2/'))).toBe(true);
  });

  it('a cloud with a wrong password does not stop the other: exit 1, the error names it, no secret shown', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }, { name: 'broken', password: WRONG_PASSWORD }]);
    const result = await run(['--cloud', 'good', '--cloud', 'broken', '--output', 'json'], clouds);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as {
      exitCode: number;
      clouds: { good: { plan: { actions: unknown[] } }; broken: { error: Record<string, unknown> } };
    };
    expect(document.exitCode).toBe(1);
    expect(document.clouds.good.plan.actions).toHaveLength(1);
    expect(document.clouds.broken.error).toMatchObject({ exitCode: 2, kind: 'authentication' });
    expect(document.clouds.broken.error.message).toMatch(/cloud "broken"/);
    expect(result.stderr).toMatch(/\[broken\] .*cloud "broken"/);
    for (const secret of [PASSWORD, WRONG_PASSWORD, TOKEN]) {
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('prints a heading per cloud in text, and prefixes every log line of a cloud with its name', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }, { name: 'broken', password: WRONG_PASSWORD }]);
    const result = await run(['--cloud', 'good', '--cloud', 'broken'], clouds);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^=== cloud good ===\n#1 \[Tiny\] import Tiny 0\.6\.2/);
    expect(result.stdout).toMatch(/=== cloud broken \(exit 2\) ===\nerror: cloud "broken": /);
    expect(result.stderr).toMatch(/\| INFO {5}\| \[good\] Found 0 managed images in cloud good/);
  });

  it('exits 2 when every cloud failed that way: nothing changed anywhere', async () => {
    const clouds = cloudsFile(fake, [
      { name: 'a', password: WRONG_PASSWORD },
      { name: 'b', password: WRONG_PASSWORD, region: 'RegionTwo' },
    ]);
    const result = await run(['--cloud', 'a', '--cloud', 'b', '--output', 'json'], clouds);
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout) as { clouds: Record<string, { error: { kind: string } }> };
    expect(document.clouds.a?.error.kind).toBe('authentication');
    expect(document.clouds.b?.error.kind).toBe('authentication');
  });

  it('--all-clouds takes every cloud in clouds.yaml', async () => {
    const clouds = cloudsFile(fake, [{ name: 'x' }, { name: 'y', region: 'RegionTwo' }, { name: 'z' }]);
    const result = await run(['--all-clouds', '--output', 'json'], clouds);
    expect(result.code).toBe(0);
    expect(Object.keys((JSON.parse(result.stdout) as { clouds: object }).clouds)).toEqual(['x', 'y', 'z']);
  });

  it('a cloud that is not defined stops the run before any request (exit 2)', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }]);
    const before = fake.requests.length;
    const result = await run(['--cloud', 'good', '--cloud', 'typo', '--output', 'json'], clouds);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: 'config', exitCode: 2 } });
    expect(fake.requests.length).toBe(before);
  });

  it('--all-clouds and --cloud together are a usage error', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }]);
    const result = await run(['--all-clouds', '--cloud', 'good', '--log-format', 'json'], clouds);
    expect(result.code).toBe(2);
    const lines = jsonLines(result.stderr);
    expect(lines.at(-1)).toMatchObject({ level: 'fatal', kind: 'usage', exitCode: 2 });
  });

  it('with --log-format json every line on both streams is one JSON object, each cloud named in its lines', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }, { name: 'broken', password: WRONG_PASSWORD }]);
    const result = await run(['--cloud', 'good', '--cloud', 'broken', '--log-format', 'json'], clouds);
    expect(result.code).toBe(1);
    const [document, ...more] = jsonLines(result.stdout);
    expect(more).toEqual([]);
    expect(document).toMatchObject({ exitCode: 1, clouds: { broken: { error: { kind: 'authentication' } } } });
    const logs = jsonLines(result.stderr);
    expect(logs.some((line) => line.cloud === 'good' && /Found 0 managed images/.test(String(line.msg)))).toBe(true);
    expect(logs.some((line) => line.cloud === 'broken' && line.level === 'error')).toBe(true);
  });

  it('one --cloud keeps the one-cloud document', async () => {
    const clouds = cloudsFile(fake, [{ name: 'good' }, { name: 'other' }]);
    const result = await run(['--cloud', 'good', '--cloud', 'good', '--output', 'json'], clouds);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document.dryRun).toBe(true);
    expect(document).not.toHaveProperty('clouds');
  });
});
