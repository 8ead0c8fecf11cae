import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const oimCatalogue = path.resolve(import.meta.dirname, '../../fixtures/oim/images');

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runMain(args, { env });

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'im-cli-'));
}

describe('the CLI, in-process', () => {
  it("--check-only validates OIM's whole catalogue without a cloud and prints nothing on stdout", async () => {
    const result = await run(['--check-only', '--images', oimCatalogue]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Loaded 29 image definitions/);
  });

  it('exits 2 on a broken definition file, naming the file and line, before any cloud is read', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.yml'), 'images:\n  - name: X\n    format: [qcow2\n');
    const result = await run(['--images', dir, '--cloud', 'does-not-matter'], {
      OS_CLIENT_CONFIG_FILE: '/nonexistent',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yml:\d+/);
    expect(result.stderr).not.toContain('does-not-matter');
  });

  it.each([
    'ftp://mirror.example/images',
    'https://user:secret@mirror.example/images',
    'https://mirror.example/images?sig=1',
    'not a url',
  ])('exits 2 on --mirror-base %s: an http(s) URL without user, query or fragment', async (base) => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--mirror-base', base]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--mirror-base');
    expect(result.stderr).not.toContain('secret');
  });

  it.each([
    ['swift-tempurl', '--mirror-signing swift-tempurl needs IMAGE_MANAGER_TEMPURL_KEY in the environment'],
    ['s3-presign', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and /nonexistent/.aws/credentials has'],
  ])('exits 2 on --mirror-signing %s without its key, before any cloud is asked', async (kind, message) => {
    const result = await run(['--images', oimCatalogue, '--mirror-signing', kind, '--cloud', 'nowhere'], {
      OS_CLIENT_CONFIG_FILE: '/nonexistent',
      HOME: '/nonexistent',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('nowhere');
  });

  it('exits 2 on a bad --filter regex, naming the pattern', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--filter', 'Ubuntu (']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Ubuntu (');
  });

  it('exits 2 when --filter selects nothing, naming the definitions there are and saying matching is case-sensitive', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--filter', 'ubuntu']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--filter "ubuntu" selects nothing');
    expect(result.stderr).toContain('case-sensitive');
    expect(result.stderr).toContain('"AlmaLinux 8", "AlmaLinux 9"');
    expect(result.stderr).toContain('and 9 more'); // 29 definitions, 20 named
    expect(result.stderr).not.toMatch(/Loaded/);
  });

  it('exits 2 when --filter matches only disabled definitions, saying so and that --force takes them', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--filter', 'OPNsense']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('only definitions with enable: false ("OPNsense"); --force takes them');
    const forced = await run([
      '--check-only',
      '--no-check',
      '--images',
      oimCatalogue,
      '--filter',
      'OPNsense',
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('1 selected');
  });

  it('exits 2 when the filter of update selects nothing', async () => {
    const result = await run(['update', '--images', oimCatalogue, '--filter', 'ubuntu']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('selects nothing');
  });

  it('exits 2 on an unknown flag', async () => {
    const result = await run(['--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-flag');
  });

  it('exits 2 naming the clouds that exist when --cloud is unknown, and never prints a password', async () => {
    const dir = tempDir();
    const clouds = path.join(dir, 'clouds.yaml');
    writeFileSync(
      clouds,
      'clouds:\n  prod:\n    auth:\n      auth_url: http://keystone.test/v3\n      username: u\n      password: Sup3r-Secret-Pw\n      project_name: p\n      user_domain_name: Default\n      project_domain_name: Default\n',
    );
    const result = await run(['--images', oimCatalogue, '--cloud', 'staging'], { OS_CLIENT_CONFIG_FILE: clouds });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('staging');
    expect(result.stderr).toContain('prod');
    expect(result.stderr).not.toContain('Sup3r-Secret-Pw');
  });

  it('rejects a --parallel below 1', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--parallel', '0']);
    expect(result.code).toBe(2);
  });

  it('logs JSON lines with --log-format json', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--log-format', 'json']);
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines.some((line) => line.level === 'info' && /Loaded 29/.test(line.msg))).toBe(true);
  });
});
