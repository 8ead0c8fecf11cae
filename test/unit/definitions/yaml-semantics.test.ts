import { afterEach, describe, expect, it } from 'vitest';
import { TempDirs, definitionFile, edit, imageEntry, lineOf } from './helpers.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

describe('dates (PyYAML: unquoted dates and timestamps)', () => {
  it('reads an unquoted date as that day', () => {
    const { definitions } = dirs.load(definitionFile());
    expect(definitions[0]?.versions[0]?.build_date).toBe('2024-01-01');
  });

  it('reduces a timestamp to the day as written, whatever its time zone', () => {
    // 23:30 at -05:00 is already the next day in UTC; the written day counts.
    const text = edit(definitionFile(), 'build_date: 2024-01-01', 'build_date: 2024-01-31 23:30:00 -05:00');
    expect(dirs.load(text).definitions[0]?.versions[0]?.build_date).toBe('2024-01-31');
    const iso = edit(definitionFile(), 'build_date: 2024-01-01', 'build_date: 2024-03-01T00:15:00+02:00');
    expect(dirs.load(iso).definitions[0]?.versions[0]?.build_date).toBe('2024-03-01');
  });

  it('accepts a quoted date, as yamale does', () => {
    const text = edit(definitionFile(), 'build_date: 2024-01-01', "build_date: '2024-05-06'");
    expect(dirs.load(text).definitions[0]?.versions[0]?.build_date).toBe('2024-05-06');
  });

  it('rejects an impossible date with its line', () => {
    const text = edit(definitionFile(), 'build_date: 2024-01-01', 'build_date: 2024-02-30');
    const error = dirs.fail(text);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ file: error.file, line: lineOf(text, 'build_date') });
    expect(error.issues[0]?.message).toContain('2024-02-30');
  });

  it('rejects a build_date that is not a date', () => {
    const text = edit(definitionFile(), 'build_date: 2024-01-01', 'build_date: last tuesday');
    const [issue] = dirs.fail(text).issues;
    expect(issue?.path).toBe('images[0].versions[0].build_date');
    expect(issue?.message).toMatch(/must be a date/);
  });
});

describe('text fields written as numbers', () => {
  it('takes an unquoted integer version as its digits, with a warning to quote it', () => {
    const text = edit(definitionFile(), "version: '20240101'", 'version: 20240101');
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.versions[0]?.version).toBe('20240101');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      path: 'images[0].versions[0].version',
      line: lineOf(text, 'version: 20240101'),
      image: 'Test Image',
    });
    expect(warnings[0]?.message).toContain("version: '20240101'");
  });

  it('rejects a float version, which would lose its trailing zero, and says to quote it', () => {
    const text = edit(definitionFile(), "version: '20240101'", 'version: 9.10');
    const error = dirs.fail(text);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({
      path: 'images[0].versions[0].version',
      line: lineOf(text, 'version: 9.10'),
    });
    expect(error.issues[0]?.message).toContain('9.1');
    expect(error.issues[0]?.message).toContain("quote it: version: '9.10'");
    expect(error.message).toContain(
      `${error.file}:${lineOf(text, 'version: 9.10')}: image "Test Image": images[0].versions[0].version:`,
    );
  });

  it('rejects an integer YAML reads differently from how it is written (octal 010 is 8)', () => {
    const text = edit(definitionFile(), "version: '20240101'", 'version: 010');
    const [issue] = dirs.fail(text).issues;
    expect(issue?.message).toContain('the number 8');
    expect(issue?.message).toContain("version: '010'");
  });

  it('keeps 09 as text, since PyYAML does not read it as a number', () => {
    const text = edit(definitionFile(), "version: '20240101'", 'version: 09');
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.versions[0]?.version).toBe('09');
    expect(warnings).toEqual([]);
  });

  it('turns an integer os_version in meta into text with a warning, and rejects a float one', () => {
    const intText = edit(definitionFile(), "os_version: '24.04'", 'os_version: 9');
    const loaded = dirs.load(intText);
    expect(loaded.definitions[0]?.meta.os_version).toBe('9');
    expect(loaded.warnings.map((warning) => warning.path)).toEqual(['images[0].meta.os_version']);

    const floatText = edit(definitionFile(), "os_version: '24.04'", 'os_version: 12.04');
    const [issue] = dirs.fail(floatText).issues;
    expect(issue).toMatchObject({ path: 'images[0].meta.os_version', line: lineOf(floatText, 'os_version: 12.04') });
    expect(issue?.message).toContain("quote it: os_version: '12.04'");
  });

  it('takes an unquoted date as a version with a warning', () => {
    const text = edit(definitionFile(), "version: '20240101'", 'version: 2024-08-19');
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.versions[0]?.version).toBe('2024-08-19');
    expect(warnings[0]?.message).toContain('date');
  });
});

describe('YAML 1.1 booleans', () => {
  it('reads yes/no/on/off as booleans', () => {
    let text = edit(definitionFile(), 'enable: true', 'enable: off');
    text = edit(text, 'multi: true', 'multi: Yes');
    const [definition] = dirs.load(text).definitions;
    expect(definition?.enable).toBe(false);
    expect(definition?.multi).toBe(true);
  });

  it('rejects an unquoted no as a login, suggesting quotes', () => {
    const text = edit(definitionFile(), 'login: ubuntu', 'login: no');
    const [issue] = dirs.fail(text).issues;
    expect(issue?.path).toBe('images[0].login');
    expect(issue?.message).toContain('boolean false');
    expect(issue?.message).toContain("login: 'no'");
  });

  it('keeps y and n as text, as PyYAML does', () => {
    const text = edit(definitionFile(), 'login: ubuntu', 'login: n');
    expect(dirs.load(text).definitions[0]?.login).toBe('n');
  });

  it('rejects a boolean field written as text', () => {
    const text = edit(definitionFile(), 'multi: true', "multi: 'true'");
    const [issue] = dirs.fail(text).issues;
    expect(issue?.message).toBe('must be a boolean (true or false), got "true"');
  });
});

describe('YAML structure', () => {
  it('names file, line and reason of broken YAML', () => {
    const text = definitionFile().replace('    tags: []\n', '    tags: [a, b\n');
    const error = dirs.fail(text, 'broken.yml');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]?.file).toBe(error.file);
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(lineOf(text, 'tags: [a, b'));
    expect(error.issues[0]?.message).toMatch(/^invalid YAML: .*(flow sequence|\])/i);
    expect(error.message).toContain(`${error.file}:${error.issues[0]?.line}: invalid YAML`);
  });

  it('reports a tab indentation at its line', () => {
    const error = dirs.fail('images:\n\t- name: x\n');
    expect(error.issues[0]).toMatchObject({ line: 2 });
    expect(error.issues[0]?.message).toMatch(/tab/i);
  });

  it('refuses a second document, as yaml.load does', () => {
    const error = dirs.fail(`${definitionFile()}---\n${definitionFile()}`);
    expect(error.issues[0]?.message).toContain('single YAML document');
  });

  it('warns about a duplicate key and lets the last one win', () => {
    const text = edit(definitionFile(), '    min_ram: 512\n', '    min_ram: 512\n    min_ram: 1024\n');
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.min_ram).toBe(1024);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ path: 'images[0].min_ram', line: lineOf(text, 'min_ram: 1024') });
    expect(warnings[0]?.message).toContain(`first at line ${lineOf(text, 'min_ram: 512')}`);
  });

  it('resolves anchors, aliases and merge keys', () => {
    const first = edit(imageEntry('First'), '    meta:\n', '    meta: &meta\n');
    const second = imageEntry('Second').replace(
      / {4}meta:\n( {6}.*\n)+/,
      "    meta:\n      <<: *meta\n      os_version: '22.04'\n",
    );
    const { definitions } = dirs.load(definitionFile(first, second));
    expect(definitions[1]?.meta).toEqual({ ...definitions[0]?.meta, os_version: '22.04' });
    expect(definitions[1]?.meta.os_distro).toBe('ubuntu');
  });
});
