import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionEditError } from '../../../src/definitions/errors.js';
import { readSnapshot, replaceFile, temporaryNameFor } from '../../../src/definitions/replace-file.js';
import { TempDirs } from './helpers.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

const OLD = 'images:\n  - name: old\n';
const NEW = 'images:\n  - name: new, longer\n';

function target(): { dir: string; file: string } {
  const dir = dirs.make({ 'images.yml': OLD });
  return { dir, file: join(dir, 'images.yml') };
}

describe('replacing a definition file', () => {
  it('renames a new file with the same mode over it and leaves nothing else behind', () => {
    const { dir, file } = target();
    chmodSync(file, 0o604);
    replaceFile(readSnapshot(file), NEW);
    expect(readFileSync(file, 'utf8')).toBe(NEW);
    expect(statSync(file).mode & 0o7777).toBe(0o604);
    expect(readdirSync(dir)).toEqual(['images.yml']);
  });

  it('names the temporary file unpredictably, beside the target', () => {
    const names = [temporaryNameFor('images.yml'), temporaryNameFor('images.yml')];
    for (const name of names) expect(name).toMatch(/^\.images\.yml\.[0-9a-f]{24}\.tmp$/);
    expect(names[0]).not.toBe(names[1]);
  });

  it.each([
    ['a symlink', (path: string, victim: string) => symlinkSync(victim, path)],
    ['a file', (path: string) => writeFileSync(path, 'planted\n')],
    ['a directory', (path: string) => mkdirSync(path)],
  ])('never opens what is already at the temporary name (%s), and leaves it there', (_, plant) => {
    const { dir, file } = target();
    const victim = join(dirs.make({ shadow: 'root:x:0:0\n' }), 'shadow');
    const planted = join(dir, '.images.yml.fixed.tmp');
    plant(planted, victim);
    const snapshot = readSnapshot(file);
    expect(() => replaceFile(snapshot, NEW, { temporaryName: (base) => `.${base}.fixed.tmp` })).toThrow(/EEXIST/);
    expect(readFileSync(victim, 'utf8')).toBe('root:x:0:0\n');
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    expect(readdirSync(dir).sort()).toEqual(['.images.yml.fixed.tmp', 'images.yml']);
  });

  const meanwhile: Array<[string, (file: string, dir: string) => void, string]> = [
    ['written to', (file) => appendFileSync(file, '  - name: pinned\n'), 'it was written to'],
    ['replaced by a rename, same bytes', (file, dir) => swap(file, dir, OLD), 'it was replaced'],
    ['removed', (file) => rmSync(file), 'it is gone'],
    ['rewritten in place, same size and times', (file) => sameSizeAndTimes(file), 'changed since it was read'],
  ];

  it.each(meanwhile)('refuses to rename over a file %s while the new one was written', (_, change, why) => {
    const { dir, file } = target();
    const snapshot = readSnapshot(file);
    const temporaryName = (base: string) => {
      change(file, dir);
      return `.${base}.during.tmp`;
    };
    let error: unknown;
    try {
      replaceFile(snapshot, NEW, { temporaryName });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VersionEditError);
    expect((error as Error).message).toContain(`${file} changed since it was read`);
    expect((error as Error).message).toContain(why);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reads a FIFO put in its place without waiting for a writer, and refuses it', () => {
    const { file } = target();
    rmSync(file);
    execFileSync('mkfifo', [file]);
    expect(() => readSnapshot(file)).toThrow(`${file}: not written: not a regular file`);
  });
});

function swap(file: string, dir: string, text: string): void {
  const other = join(dir, 'elsewhere');
  writeFileSync(other, text);
  renameSync(other, file);
}

function sameSizeAndTimes(file: string): void {
  const { atime, mtime } = statSync(file);
  writeFileSync(file, OLD.replace('old', 'new'));
  utimesSync(file, atime, mtime);
}
