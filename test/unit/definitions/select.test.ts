import { describe, expect, it } from 'vitest';
import { FilterError } from '../../../src/definitions/errors.js';
import { compileFilter, selectDefinitions } from '../../../src/definitions/select.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';

function definition(name: string, enable: boolean): ImageDefinition {
  return {
    file: 'images.yml',
    line: 1,
    name,
    enable,
    format: 'qcow2',
    login: 'user',
    min_disk: 1,
    min_ram: 1,
    multi: true,
    keep: false,
    status: 'active',
    separator: ' ',
    tags: [],
    visibility: 'public',
    meta: {},
    versions: [],
  };
}

const definitions = [
  definition('Ubuntu 22.04', true),
  definition('Ubuntu 20.04', false),
  definition('Debian 12', true),
  definition('Cirros', false),
];
const names = (selected: ImageDefinition[]) => selected.map((selectedDefinition) => selectedDefinition.name);

describe('selectDefinitions', () => {
  it('skips disabled images unless forced', () => {
    expect(names(selectDefinitions(definitions, { force: false }))).toEqual(['Ubuntu 22.04', 'Debian 12']);
    expect(names(selectDefinitions(definitions, { force: true }))).toEqual([
      'Ubuntu 22.04',
      'Ubuntu 20.04',
      'Debian 12',
      'Cirros',
    ]);
  });

  it('searches the filter anywhere in the name, like re.search', () => {
    expect(names(selectDefinitions(definitions, { filter: '22', force: false }))).toEqual(['Ubuntu 22.04']);
    expect(names(selectDefinitions(definitions, { filter: '^Ubuntu', force: true }))).toEqual([
      'Ubuntu 22.04',
      'Ubuntu 20.04',
    ]);
    expect(() => selectDefinitions(definitions, { filter: 'ubuntu', force: true })).toThrow(/case-sensitive/);
  });

  it('applies filter and enable together', () => {
    expect(names(selectDefinitions(definitions, { filter: 'Cirros|Debian', force: false }))).toEqual(['Debian 12']);
  });
});

describe('compileFilter', () => {
  it('compiles a pattern that matches repeatedly without carrying state', () => {
    const filter = compileFilter('Debian \\d+');
    expect(filter.test('Debian 12')).toBe(true);
    expect(filter.test('Debian 12')).toBe(true);
  });

  it('names the pattern and the reason of a bad regex', () => {
    let caught: unknown;
    try {
      compileFilter('Ubuntu (22');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FilterError);
    const filterError = caught as FilterError;
    expect(filterError.pattern).toBe('Ubuntu (22');
    expect(filterError.reason).toMatch(/unterminated group/i);
    expect(filterError.message).toBe(`Invalid filter regex "Ubuntu (22": ${filterError.reason}`);
  });

  it('rejects a bad regex given to selectDefinitions too', () => {
    expect(() => selectDefinitions(definitions, { filter: '*', force: false })).toThrow(FilterError);
  });
});
