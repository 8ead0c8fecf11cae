import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

/**
 * The rooms of src/, highest first. A room may import the rooms of any lower layer; within a layer only the
 * edges in SIBLINGS, each with its reason. Type-only imports count: a type is a dependency too.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['run'],
  ['plan', 'status', 'scs', 'upstream', 'apply', 'eol', 'mirror'],
  ['definitions', 'sources', 'openstack'],
  ['net', 'config', 'yaml'],
  ['util'],
];

/** Allowed imports inside one layer (from → to). They must stay acyclic. */
const SIBLINGS: Readonly<Record<string, readonly string[]>> = {
  // status is a view of the plan: it reads the plan's types and decisions.
  status: ['plan', 'scs'],
  // apply carries out the plan's actions.
  apply: ['plan'],
  // a definition speaks Glance's vocabulary (visibility), and an image is known as a version's by what Glance says.
  definitions: ['openstack'],
  // the OpenStack client reads clouds.yaml's resolved settings.
  openstack: ['config'],
  // clouds.yaml is read with the project's YAML reader.
  config: ['yaml'],
};

interface Edge {
  file: string;
  from: string;
  to: string;
}

function layerOf(room: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(room));
  if (index < 0) throw new Error(`src/${room} is in no layer of the import-graph test`);
  return index;
}

/** The edges that go against the direction: upward, or sideways without a reason in SIBLINGS. */
function violations(edges: readonly Edge[]): Edge[] {
  return edges.filter(({ from, to }) => {
    if (from === to) return false;
    const [a, b] = [layerOf(from), layerOf(to)];
    if (a < b) return false;
    return !(a === b && SIBLINGS[from]?.includes(to));
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function roomOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] ?? '';
}

function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => {
    const target = path.resolve(path.dirname(file), match[1] ?? match[2] ?? '');
    return { file: path.relative(SRC, file), from: roomOf(file), to: roomOf(target) };
  });
}

describe('the import graph of src/', () => {
  const rooms = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const edges = sourceFiles(SRC).flatMap(edgesOf);

  it('puts every room of src/ in a layer', () => {
    for (const room of rooms) expect(() => layerOf(room.name), room.name).not.toThrow();
  });

  it('has only imports that point down (or along a sibling edge with a reason)', () => {
    const wrong = violations(edges).map(({ file, to }) => `${file} imports ${to}/`);
    expect(wrong).toEqual([]);
  });

  it('sees the imports it checks (dynamic ones included)', () => {
    expect(edges.some(({ from, to }) => from === 'cli' && to === 'run')).toBe(true);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('fails an upward import, and a sideways one without a reason', () => {
    const upward = { file: 'util/x.ts', from: 'util', to: 'cli' };
    const sideways = { file: 'plan/x.ts', from: 'plan', to: 'status' };
    const down = { file: 'cli/x.ts', from: 'cli', to: 'util' };
    const sibling = { file: 'status/x.ts', from: 'status', to: 'plan' };
    expect(violations([upward, sideways, down, sibling])).toEqual([upward, sideways]);
  });

  it('allows no sibling edge that nothing uses', () => {
    const used = (from: string, to: string) => edges.some((edge) => edge.from === from && edge.to === to);
    const stale = Object.entries(SIBLINGS).flatMap(([from, tos]) => tos.filter((to) => !used(from, to)));
    expect(stale).toEqual([]);
  });

  it('keeps the sibling edges acyclic', () => {
    const visiting = new Set<string>();
    const cyclic = (room: string): boolean => {
      if (visiting.has(room)) return true;
      visiting.add(room);
      const found = (SIBLINGS[room] ?? []).some(cyclic);
      visiting.delete(room);
      return found;
    };
    expect(Object.keys(SIBLINGS).filter(cyclic)).toEqual([]);
  });
});
