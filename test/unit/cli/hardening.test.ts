import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definitionFile, edit, imageEntry, lineOf } from '../definitions/helpers.js';
import { runMain } from './run-main.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runMain(args, { env });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'im-harden-')));
  dirs.push(dir);
  return dir;
}

function writeDefinitions(text: string): string {
  const file = path.join(tempDir(), 'images.yml');
  writeFileSync(file, text);
  return file;
}

/** A cloud that cannot be reached: a run that gets as far as the cloud fails with a connection error. */
function deadCloud(): NodeJS.ProcessEnv {
  const clouds = path.join(tempDir(), 'clouds.yaml');
  writeFileSync(
    clouds,
    'clouds:\n  dead:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: u\n      password: pw-pw-pw\n' +
      '      project_name: p\n      user_domain_name: Default\n      project_domain_name: Default\n',
  );
  return { OS_CLIENT_CONFIG_FILE: clouds };
}

const DEFAULT_URL = 'url: https://example.com/image-20240101.qcow2';

function withUrl(url: string, extra = ''): string {
  return edit(definitionFile(), DEFAULT_URL, `url: ${url}${extra}`);
}

describe('probe: a local file outside any allowed directory', () => {
  const shadow = withUrl('file:///etc/shadow', '\n        source: https://example.com/innocent.qcow2');

  it('is refused before any cloud request, even with --no-check, naming file, line, image and field', async () => {
    const file = writeDefinitions(shadow);
    const result = await run(['--images', file, '--no-check', '--cloud', 'dead', '--dry-run'], deadCloud());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:${lineOf(shadow, '- version:')}`);
    expect(result.stderr).toContain('image "Test Image"');
    expect(result.stderr).toMatch(/\.url: .*--allow-local-files/);
    expect(result.stderr).not.toMatch(/127\.0\.0\.1|connect/i);
  });

  it('is refused by --check-only too', async () => {
    const result = await run(['--check-only', '--no-check', '--images', writeDefinitions(shadow)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/etc/shadow');
  });

  it('is refused when a symlink inside the allowed directory leads out of it, and for mirror_url', async () => {
    const allowed = tempDir();
    symlinkSync('/etc/hostname', path.join(allowed, 'disk.qcow2'));
    const link = withUrl(`file://${allowed}/disk.qcow2`);
    const result = await run(['--check-only', '--images', writeDefinitions(link), '--allow-local-files', allowed]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.url: .*\/etc\/hostname/);
    const mirror = withUrl('https://example.com/x.qcow2', '\n        mirror_url: file:///etc/passwd');
    const second = await run(['--check-only', '--images', writeDefinitions(mirror), '--allow-local-files', allowed]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('.mirror_url: ');
  });

  it('is accepted when its real path lies under a directory given with --allow-local-files (repeatable)', async () => {
    const elsewhere = tempDir();
    const allowed = tempDir();
    mkdirSync(path.join(allowed, 'sub'));
    writeFileSync(path.join(allowed, 'sub', 'disk.qcow2'), 'qcow');
    const text = withUrl(`file://${allowed}/sub/disk.qcow2`, '\n        source: private');
    const args = ['--check-only', '--images', writeDefinitions(text)];
    const result = await run([...args, '--allow-local-files', elsewhere, '--allow-local-files', allowed]);
    expect(result.stderr).not.toContain('Invalid');
    expect(result.code).toBe(0);
    expect((await run(args)).code).toBe(2);
  });
});

describe('probe: a password in a URL', () => {
  it('is an error at load time (exit 2) that never prints the password', async () => {
    const text = withUrl('http://user:s3cret@host.example/x.qcow2');
    const result = await run(['--check-only', '--images', writeDefinitions(text)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/versions\[0\]\.url: .*user/);
    expect(result.stderr + result.stdout).not.toContain('s3cret');
  });

  it('is an error in every URL field, also when the URL is otherwise malformed', async () => {
    const latest = edit(
      definitionFile(),
      '    tags: []\n',
      '    tags: []\n    latest_url: https://u:s3cret@example.com/current.qcow2\n' +
        '    latest_checksum_url: ftp://u:s3cret@example.com/SUMS\n',
    );
    const result = await run(['--check-only', '--images', writeDefinitions(latest)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('latest_url');
    expect(result.stderr + result.stdout).not.toContain('s3cret');
  });
});

describe('probe: control characters in an image name', () => {
  const evil = edit(
    definitionFile(),
    'name: Test Image',
    String.raw`name: "Evil\n2025-01-01 00:00:00 | ERROR    | forged\e]0;pwned\a\e[31m"`,
  );

  it('fails validation naming the field, and nothing raw reaches the terminal', async () => {
    const result = await run(['--check-only', '--images', writeDefinitions(evil)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('images[0].name');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('\u0007');
    expect(result.stderr).not.toMatch(/\n2025-01-01 00:00:00 \| ERROR/);
    expect(result.stderr).toContain(String.raw`\u001b`);
  });
});

describe('probe: more properties than Glance takes', () => {
  const manyKeys = Array.from({ length: 200 }, (_, i) => `      key_${i}: v${i}\n`).join('');
  const crowded = edit(definitionFile(), '      provided_until: none\n', `      provided_until: none\n${manyKeys}`);

  it('is an error before any cloud request, naming the quota and the option', async () => {
    const file = writeDefinitions(crowded);
    const result = await run(['--check-only', '--images', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/image_property_quota/);
    expect(result.stderr).toContain('--property-quota');
    expect(result.stderr).toContain(`${file}:${lineOf(crowded, '- version:')}`);
  });

  it('passes with a --property-quota the cloud is configured with', async () => {
    const result = await run(['--check-only', '--images', writeDefinitions(crowded), '--property-quota', '300']);
    expect(result.code).toBe(0);
  });
});

describe('probe: a symlink loop in --images', () => {
  it('exits 2 naming the link', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yml'), definitionFile(imageEntry('Fine')));
    symlinkSync(path.join(dir, 'loop2.yml'), path.join(dir, 'loop1.yml'));
    symlinkSync(path.join(dir, 'loop1.yml'), path.join(dir, 'loop2.yml'));
    const result = await run(['--check-only', '--images', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path.join(dir, 'loop1.yml'));
    expect(result.stderr).toMatch(/symbolic link/);
  });
});

describe('what the command line itself brings', () => {
  it('an unknown flag or a path with control characters is shown escaped', async () => {
    const flag = await run(['--no-such\u001b]0;x\u0007flag']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).not.toContain('\u001b');
    expect(flag.stderr).not.toContain('\u0007');
    const images = await run(['--check-only', '--images', '/nonexistent\n2025-01-01 | ERROR | forged']);
    expect(images.code).toBe(2);
    expect(images.stderr).toContain(String.raw`/nonexistent\n2025-01-01`);
  });
});
