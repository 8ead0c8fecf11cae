import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/load.js';
import { checkBeforeRun } from '../../../src/run/preflight.js';
import { TempDirs, definitionFile, edit, expectDefinitionError, imageEntry, lineOf } from './helpers.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

const DEFAULT_URL = 'url: https://example.com/image-20240101.qcow2';

describe('userinfo in URLs', () => {
  const fields: Array<[string, (text: string) => string]> = [
    ['versions[0].url', (t) => edit(t, DEFAULT_URL, 'url: https://me:s3cret@example.com/a.qcow2')],
    ['versions[0].mirror_url', (t) => `${t}        mirror_url: ftp://me:s3cret@mirror.example/a.qcow2\n`],
    ['versions[0].checksum_url', (t) => `${t}        checksum_url: https://me:s3cret@example.com/SUMS\n`],
    ['versions[0].checksums_url', (t) => `${t}        checksums_url: https://me:s3cret@example.com/SUMS\n`],
    ['versions[0].source', (t) => `${t}        source: https://me:s3cret@example.com/\n`],
    ['latest_url', (t) => edit(t, '    tags: []\n', '    tags: []\n    latest_url: https://me:s3cret@example.com/c\n')],
    [
      'latest_checksum_url',
      (t) => edit(t, '    tags: []\n', '    tags: []\n    latest_checksum_url: https://me:s3cret@example.com/S\n'),
    ],
  ];

  it.each(fields)('%s with a password is an error that masks it', (field, change) => {
    const error = dirs.fail(change(definitionFile()));
    const issue = error.issues.find((i) => i.path === `images[0].${field}`);
    expect(issue?.message).toMatch(/user name or password/);
    expect(issue?.message).toContain('***@');
    expect(error.message).not.toContain('s3cret');
    expect(JSON.stringify(error.issues)).not.toContain('s3cret');
  });

  it('a user name alone (a token, often) is refused and masked as well', () => {
    const error = dirs.fail(edit(definitionFile(), DEFAULT_URL, 'url: https://ghp_t0ken@example.com/a.qcow2'));
    expect(error.issues[0]?.path).toBe('images[0].versions[0].url');
    expect(error.message).not.toContain('ghp_t0ken');
  });

  it('a password is masked in the message of any other URL problem too', () => {
    const error = dirs.fail(edit(definitionFile(), DEFAULT_URL, 'url: gopher://me:s3cret@example.com/a.qcow2'));
    expect(error.message).not.toContain('s3cret');
  });

  it('an @ in the path or query is no userinfo', () => {
    const text = edit(definitionFile(), DEFAULT_URL, 'url: https://example.com/a@b/x.qcow2?u=me@x');
    expect(dirs.load(text).definitions[0]?.versions[0]?.url).toBe('https://example.com/a@b/x.qcow2?u=me@x');
  });
});

describe('control characters', () => {
  const cases: Array<[string, string, string]> = [
    ['name', 'name: Test Image', String.raw`name: "Test\u001b[2JImage"`],
    ['login', 'login: ubuntu', String.raw`login: "ubu\nntu"`],
    ['tags[1]', 'tags: []', String.raw`tags: ["ok", "bad\u0085"]`],
    ['meta.os_version', "os_version: '24.04'", String.raw`os_version: "24.04\u2028"`],
    ['meta.x_note', '      provided_until: none\n', `      provided_until: none\n      x_note: "a\\u202eb"\n`],
    ['versions[0].version', "version: '20240101'", String.raw`version: "2024\t0101"`],
  ];

  it.each(cases)('in %s is an error naming the field', (field, from, to) => {
    const text = edit(definitionFile(), from, to);
    const error = dirs.fail(text);
    const issue = error.issues.find((i) => i.path.startsWith(`images[0].${field}`));
    expect(issue?.message).toMatch(/control character U\+[0-9A-F]{4}/);
    expect(error.message.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\u2028\u2029\u202e]/u);
  });

  it('in a meta key is an error too', () => {
    const text = edit(
      definitionFile(),
      '      provided_until: none\n',
      '      provided_until: none\n      "k\\u001b": v\n',
    );
    expect(dirs.fail(text).issues.some((i) => /control character U\+001B/.test(i.message))).toBe(true);
  });

  it('in a version description, escaped in the message naming the image', () => {
    const text = `${definitionFile()}        image_description: "line\\nnext"\n`;
    const error = dirs.fail(text);
    expect(error.issues[0]).toMatchObject({ path: 'images[0].versions[0].image_description' });
    expect(error.issues[0]?.line).toBe(lineOf(text, 'image_description'));
  });

  it('the image name of an issue is shown escaped', () => {
    const text = edit(definitionFile(), 'name: Test Image', String.raw`name: "A\e]0;x\aB"`);
    expect(dirs.fail(text).message).toContain(String.raw`image "A\u001b]0;x\u0007B"`);
  });
});

describe('--images entries that cannot be read', () => {
  it('a symlink loop is an error naming it', () => {
    const dir = dirs.make({ 'a.yml': definitionFile() });
    symlinkSync(join(dir, 'b.yml'), join(dir, 'c.yml'));
    symlinkSync(join(dir, 'c.yml'), join(dir, 'b.yml'));
    const error = expectDefinitionError(() => loadDefinitions(dir));
    expect(error.issues.map((i) => i.file).sort()).toEqual([join(dir, 'b.yml'), join(dir, 'c.yml')]);
    expect(error.issues[0]?.message).toMatch(/symbolic link loop/);
  });

  it('a dangling symlink is an error naming it', () => {
    const dir = dirs.make({ 'a.yml': definitionFile() });
    symlinkSync(join(dir, 'gone.yml'), join(dir, 'z.yml'));
    const error = expectDefinitionError(() => loadDefinitions(dir));
    expect(error.issues).toEqual([expect.objectContaining({ file: join(dir, 'z.yml') })]);
  });

  it('a file that cannot be read is an error naming it', () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const dir = dirs.make({ 'a.yml': definitionFile() });
    chmodSync(join(dir, 'a.yml'), 0);
    expect(expectDefinitionError(() => loadDefinitions(dir)).issues[0]?.file).toBe(join(dir, 'a.yml'));
  });

  it('a directory named like a definition file is left out, as before', () => {
    const dir = dirs.make({ 'a.yml': definitionFile() });
    mkdirSync(join(dir, 'old.yml'));
    expect(loadDefinitions(dir).definitions).toHaveLength(1);
  });
});

describe('checkBeforeRun: what every run checks, --no-check or not', () => {
  const options = { localFileDirs: [] as string[], propertyQuota: 128 };

  it('counts the properties each version would publish, identity properties included', () => {
    const meta = Array.from({ length: 110 }, (_, i) => `      k${i}: v\n`).join('');
    const text = edit(definitionFile(), '      provided_until: none\n', `      provided_until: none\n${meta}`);
    const { definitions, file } = dirs.load(text);
    expect(checkBeforeRun(definitions, options)).toEqual([]);
    const issues = checkBeforeRun(definitions, { ...options, propertyQuota: 120 });
    expect(issues).toEqual([
      {
        file,
        line: lineOf(text, '- version:'),
        image: 'Test Image',
        path: 'versions[20240101].meta',
        message: expect.stringMatching(/would publish 12\d properties, more than 120 .*image_property_quota/),
      },
    ]);
  });

  it('refuses every file: URL without --allow-local-files', () => {
    const dir = realpathSync(dirs.make({ 'disk.qcow2': 'x' }));
    const text = edit(definitionFile(), DEFAULT_URL, `url: file://${dir}/disk.qcow2`);
    const { definitions } = dirs.load(text);
    expect(checkBeforeRun(definitions, options)[0]?.message).toMatch(/--allow-local-files/);
    expect(checkBeforeRun(definitions, { ...options, localFileDirs: [dir] })).toEqual([]);
  });

  it('resolves .. and symlinked directories before deciding', () => {
    const dir = realpathSync(dirs.make({ 'ok/disk.qcow2': 'x', 'secret/disk.qcow2': 'y' }));
    symlinkSync(join(dir, 'secret'), join(dir, 'ok', 'link'));
    const allowed = [join(dir, 'ok')];
    for (const url of [`file://${dir}/ok/../secret/disk.qcow2`, `file://${dir}/ok/link/disk.qcow2`]) {
      const { definitions } = dirs.load(edit(definitionFile(imageEntry()), DEFAULT_URL, `url: ${url}`));
      expect(checkBeforeRun(definitions, { ...options, localFileDirs: allowed })[0]?.message).toContain(
        `${dir}/secret/disk.qcow2`,
      );
    }
  });

  it('names a file that does not exist', () => {
    const dir = realpathSync(dirs.make());
    writeFileSync(join(dir, 'other'), '');
    const { definitions } = dirs.load(edit(definitionFile(), DEFAULT_URL, `url: file://${dir}/missing.qcow2`));
    expect(checkBeforeRun(definitions, { ...options, localFileDirs: [dir] })[0]?.message).toMatch(/missing\.qcow2/);
  });
});

describe('names that become mirror object paths', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['images[0].shortname', '    tags: []\n    shortname: ".."\n', /must not be "\.\."/],
    ['images[0].shortname', '    tags: []\n    shortname: debian/12\n', /must not hold "\/"/],
    ['images[0].versions[0].version', "      - version: '../../other'\n", /must not hold "\/"/],
    ['images[0].versions[0].version', "      - version: '..'\n", /must not be "\.\."/],
  ];

  it.each(cases)('%s that would leave the mirror folder is an error', (path, line, message) => {
    const base = definitionFile();
    const text = line.startsWith('    tags')
      ? edit(base, '    tags: []\n', line)
      : edit(base, "      - version: '20240101'\n", line);
    const issue = dirs.fail(text).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
  });

  it('an ordinary shortname and version with dots are fine', () => {
    const text = edit(definitionFile(), '    tags: []\n', '    tags: []\n    shortname: ubuntu-24.04\n');
    expect(dirs.load(text).definitions[0]?.shortname).toBe('ubuntu-24.04');
  });
});
