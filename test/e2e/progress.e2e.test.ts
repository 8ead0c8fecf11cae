import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, repoRoot, runCli } from './harness.js';

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const files: string[] = [];

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  for (const file of files) rmSync(file, { force: true });
});

const ESC = '\u001b';

/** A catalogue of one definition with two versions (two imports), served by the local server. */
function catalogue(name: string): string {
  const versions = ['20250101', '20250301'].map((version) => {
    const file = makeQcow2(4);
    files.push(file.file);
    return { version, url: file.url, checksum: `sha512:${file.sha512}`, build_date: '2025-01-01' };
  });
  return writeCatalogue([definition({ name, multi: true, versions })]);
}

/** The command line of a run, quoted for a shell. */
function commandLine(args: string[]): string {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  return [process.execPath, path.join(repoRoot, 'bin/image-manager.js'), ...args].map(quote).join(' ');
}

/**
 * Runs the CLI in a pseudo-terminal (util-linux `script`), sized 120 × 40, and returns what the terminal
 * received: stdout and stderr together, as a person would see them.
 */
function runOnTerminal(args: string[]): { status: number; screen: string } {
  const command = `stty cols 120 rows 40; exec ${commandLine(args)}`;
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', OS_CLIENT_CONFIG_FILE: e2e.cloudsFile },
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { status: result.status ?? -1, screen: result.stdout };
}

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('progress on a terminal, plain lines elsewhere', () => {
  it.runIf(hasScript)(
    'on a terminal: a live view of the imports (phases, bytes), log lines, then the summary table',
    () => {
      const images = catalogue(`E2E Live ${suffix}`);
      const args = ['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--verify-checksum'];

      const { status, screen } = runOnTerminal(args);

      expect(status, screen).toBe(0);
      // The live view drew and redrew itself: lines erased, the cursor moved up.
      expect(screen).toContain(`${ESC}[2K`);
      expect(screen).toMatch(new RegExp(`${ESC}\\[\\d*A`));
      expect(screen).toMatch(/2 imports running, 0 actions ended/);
      expect(screen).toMatch(new RegExp(`E2E Live ${suffix} \\(20250101\\) +(creating|uploading|importing)`));
      expect(screen).toMatch(/ uploading +[\d.]+s +[\d.]+ (B|KiB|MiB)( of [\d.]+ (B|KiB|MiB))?/);
      expect(screen).toMatch(/ importing +[\d.]+s/);
      // The log lines are all there, each whole on its line.
      expect(screen).toMatch(/\| INFO {5}\| Importing image E2E Live/);
      // (the line is longer than the terminal is wide: its start is enough)
      expect(screen).toMatch(new RegExp(`\\| INFO {5}\\| Verified E2E Live ${suffix}: source sha512`));
      // The summary: a row an action, and the counts last.
      const table = screen.slice(screen.lastIndexOf('IMAGE'));
      expect(table).toMatch(/^IMAGE +ACTION +RESULT +TIME\r?\n/);
      expect(table).toMatch(new RegExp(`E2E Live ${suffix} \\(20250101\\) +import +done: verified +[\\d.]+s`));
      expect(table).toMatch(new RegExp(`E2E Live ${suffix} +import +done: verified +[\\d.]+s`));
      expect(table).toMatch(/2 actions: 2 done, 0 failed, 0 skipped, 0 deferred\r?\n$/);
    },
  );

  it.runIf(hasScript)('on a terminal with --no-progress: no live view, plain log lines', () => {
    const images = catalogue(`E2E Quiet ${suffix}`);
    const { status, screen } = runOnTerminal([
      '--cloud',
      e2e.adminCloud,
      '--images',
      images,
      '--tag',
      tag,
      '--no-progress',
    ]);

    expect(status, screen).toBe(0);
    expect(screen).not.toContain(ESC);
    expect(screen).toMatch(/2 actions: 2 done, 0 failed, 0 skipped, 0 deferred/);
  });

  it('into pipes: the same log lines and table, not one escape sequence or carriage return', () => {
    const images = catalogue(`E2E Piped ${suffix}`);
    const result = runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--verify-checksum']);

    expect(result.status, result.stderr).toBe(0);
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(ESC);
      expect(text).not.toContain('\r');
    }
    expect(result.stderr).toMatch(/\| INFO {5}\| Importing image E2E Piped/);
    expect(result.stderr).not.toMatch(/imports? running/);
    expect(result.stdout).toMatch(/^IMAGE +ACTION +RESULT +TIME\n/);
    expect(result.stdout).toMatch(/\n2 actions: 2 done, 0 failed, 0 skipped, 0 deferred\n$/);
  });
});
