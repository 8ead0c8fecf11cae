import { describe, expect, it } from 'vitest';
import { readYamlTree } from '../../../src/yaml/tree.js';

describe('readYamlTree: PyYAML semantics', () => {
  it('lets the last of duplicate keys win and warns at its line, naming the first', () => {
    const tree = readYamlTree('a: 1\nb: 2\na: 3\n');
    expect(tree.value).toEqual({ a: 3, b: 2 });
    expect(tree.errors).toEqual([]);
    expect(tree.warnings).toEqual([
      expect.objectContaining({
        line: 3,
        path: ['a'],
        code: 'DUPLICATE_KEY',
        message: expect.stringContaining('first at line 1'),
      }),
    ]);
  });

  it('never lets a merge override an explicit key, before or after it; earlier merges win', () => {
    const text = [
      'base: &base { k: base, j: base }',
      'other: &other { k: other, m: other }',
      'before:',
      '  k: own',
      '  <<: [*base, *other]',
      'after:',
      '  <<: *base',
      '  k: own',
    ].join('\n');
    const tree = readYamlTree(text);
    expect(tree.errors).toEqual([]);
    expect(tree.value).toMatchObject({
      before: { k: 'own', j: 'base', m: 'other' },
      after: { k: 'own', j: 'base' },
    });
  });

  it('refuses a merge of something that is not a map', () => {
    const tree = readYamlTree('a: &x 1\nb:\n  <<: *x\n');
    expect(tree.errors.map((error) => error.message)).toEqual([expect.stringMatching(/^invalid YAML: .*merge/)]);
  });

  it('gives each alias its own copy, so that changing one place changes no other', () => {
    const tree = readYamlTree('a: &x { k: [1] }\nb: *x\nc:\n  <<: *x\n');
    const value = tree.value as Record<string, { k: number[] }>;
    value.a?.k.push(2);
    expect(value.b?.k).toEqual([1]);
    expect(value.c?.k).toEqual([1]);
  });

  it('stops an alias bomb with an error', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ]) {
      levels.push(`${to}: &${to} [${Array(10).fill(`*${from}`).join(',')}]`);
    }
    const tree = readYamlTree(`${levels.join('\n')}\n`);
    // Expanded in full, g alone would be 10^7 strings; stopped after 10,000 expansions of at most 10 each.
    expect(leavesOf(tree.value)).toBeLessThanOrEqual(10 * 10_001);
    expect(tree.errors.map((error) => error.message)).toEqual([expect.stringMatching(/^invalid YAML: .*alias/)]);
  });

  it('refuses a recursive alias', () => {
    for (const text of ['a: &x\n  b: *x\n', 'a: &x [1, *x]\n', 'a: &x\n  b:\n    <<: *x\n']) {
      const messages = readYamlTree(text).errors.map((error) => error.message);
      expect(messages).toContainEqual(expect.stringMatching(/^invalid YAML: .*recursive/));
    }
  });

  it('refuses an alias of an unknown anchor', () => {
    expect(readYamlTree('a: *nope\n').errors).toHaveLength(1);
  });

  it('refuses a map or a list as a key', () => {
    const tree = readYamlTree('? [a, b]\n: 1\n');
    expect(tree.errors.map((error) => error.message)).toEqual([expect.stringMatching(/^invalid YAML: a map key/)]);
  });

  it('keeps a key called __proto__ as an ordinary key', () => {
    const value = readYamlTree('__proto__: { polluted: true }\n').value as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readYamlTree: where each field was written', () => {
  it('records the line of every key and list item, and the text of plain scalars', () => {
    const tree = readYamlTree('images:\n  - name: a\n    versions:\n      - version: 9.10\n');
    expect(tree.sourceMap.line(['images'])).toBe(1);
    expect(tree.sourceMap.line(['images', 0])).toBe(2);
    expect(tree.sourceMap.line(['images', 0, 'versions', 0, 'version'])).toBe(4);
    expect(tree.sourceMap.source(['images', 0, 'versions', 0, 'version'])).toBe('9.10');
  });

  it('knows the written text of a value reached through an alias or a merge', () => {
    const tree = readYamlTree('a: &x\n  v: 9.10\nb: *x\nc:\n  <<: *x\n');
    expect(tree.sourceMap.source(['b', 'v'])).toBe('9.10');
    expect(tree.sourceMap.source(['c', 'v'])).toBe('9.10');
  });
});

/** How many scalars a value holds, counting every place an alias copied one to. */
function leavesOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  return Object.values(value).reduce((sum: number, item) => sum + leavesOf(item), 0);
}
