import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Manifest {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

let packed: string[] | undefined;

/** What `npm pack` would put in the tarball, without running its scripts (prepack builds) or any network. */
function packedFiles(): string[] {
  if (packed !== undefined) return packed;
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(json) as [{ files: { path: string }[] }];
  packed = pack.files.map((file) => file.path);
  return packed;
}

describe('the packed package', () => {
  it('has no script that npm runs when it is installed, so installing the tarball warns about none', () => {
    // npm counts these as install scripts (prepare only for a tarball, a directory or git): each draws a
    // warning from npm 11, and would run where no TypeScript is.
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(manifest.scripts[script], script).toBeUndefined();
    }
    expect(manifest.scripts.prepack).toBe('npm run build'); // npm pack and npm publish build dist/ first
    expect(manifest.scripts.postprepare).toBe('npm run build'); // npm ci and npm install in a checkout build it
  });

  it('holds the command, the shipped images and the build, and no sources or tests', () => {
    const files = packedFiles();
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain(manifest.bin['image-manager']);
    const images = readdirSync(path.join(ROOT, 'images')).filter((name) => name.endsWith('.yml'));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(files).toContain(`images/${image}`);
    expect(files.filter((file) => /^(src|test|bench|scripts|\.ci)\//.test(file))).toEqual([]);
    // Source maps point into src/, which is not shipped.
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files).toContain('LICENSE');
  });

  it.skipIf(!existsSync(path.join(ROOT, 'dist/cli/main.js')))('holds dist/ as built', () => {
    const files = packedFiles();
    expect(files).toContain('dist/cli/main.js');
    expect(manifest.files).toContain('dist');
  });
});
