import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { StatusView } from '../../src/status/types.js';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli } from './harness.js';

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const strangers: string[] = [];

afterAll(async () => {
  const ours = (await managedImages(glance, tag)).map((image) => image.id);
  for (const id of [...ours, ...strangers]) await glance.deleteImage(id).catch(() => undefined);
  for (const { file } of [old, newer, tool]) rmSync(file, { force: true });
});

const multiName = `E2E Status ${suffix}`;
const singleName = `E2E Status Tool ${suffix}`;
const [old, newer, tool] = [makeQcow2(1), makeQcow2(1), makeQcow2(1)];
const catalogue = writeCatalogue([
  definition({
    name: multiName,
    multi: true,
    versions: [
      { version: '20250101', url: old.url, checksum: `sha512:${old.sha512}`, build_date: '2025-01-01' },
      { version: '20250301', url: newer.url, checksum: `sha512:${newer.sha512}`, build_date: '2025-03-01' },
    ],
  }),
  definition({
    name: singleName,
    multi: false,
    versions: [{ version: '1.0', url: tool.url, checksum: `sha512:${tool.sha512}`, build_date: '2025-02-01' }],
  }),
]);
const where = ['--cloud', e2e.adminCloud, '--images', catalogue, '--tag', tag];
/** A run (no command): `cli()`, `cli('--dry-run')`. */
const cli = (...args: string[]) => runCli([...where, ...args]);
const status = (...args: string[]) => runCli(['status', ...where, ...args]);

function statusJson(): StatusView {
  const result = status('--output', 'json');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusView;
}

/** The actions `--dry-run` plans, as `#seq summary`. */
function dryRunPlan(): string[] {
  const result = cli('--dry-run', '--output', 'json');
  expect(result.status, result.stderr).toBe(0);
  const { plan } = JSON.parse(result.stdout) as { plan: { actions: Array<{ seq: number; summary: string }> } };
  return plan.actions.map((action) => `#${action.seq} ${action.summary}`);
}

const planned = (view: StatusView) => view.actions.map((action) => `#${action.seq} ${action.summary}`);

describe('image-manager status against the local stack', () => {
  it('before a run: every version missing, the next run imports them (text and JSON), as --dry-run plans', () => {
    const text = status();
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('3 defined versions not in the cloud');
    expect(text.stdout).toMatch(/^ {2}20250301 +\(not in the cloud\) .* current +2025-03-01 +- +import$/m);
    expect(text.stdout.split('\n').filter((line) => [...line].length > 120)).toEqual([]);

    const view = statusJson();
    expect(view.inSync).toBe(false);
    expect(view.summary).toMatchObject({ definitions: 2, managedImages: 0, missing: 3, imports: 3 });
    const rows = view.definitions.flatMap((def) =>
      def.versions.map((row) => [def.name, row.version, row.role, row.next]),
    );
    expect(rows).toEqual([
      [multiName, '20250101', 'outdated', 'import'],
      [multiName, '20250301', 'current', 'import'],
      [singleName, '1.0', 'current', 'import'],
    ]);
    expect(planned(view)).toEqual(dryRunPlan());
  });

  it('after a run: everything current, nothing would change, and --dry-run agrees', () => {
    const run = cli();
    expect(run.status, run.stderr).toBe(0);
    const view = statusJson();
    expect(view.inSync).toBe(true);
    expect(view.actions).toEqual([]);
    expect(dryRunPlan()).toEqual([]);
    const rows = view.definitions.flatMap((def) => def.versions);
    expect(rows.map((row) => [row.image?.name, row.image?.status, row.role, row.next, row.changes])).toEqual([
      [`${multiName} (20250101)`, 'active', 'outdated', 'none', []],
      [multiName, 'active', 'current', 'none', []],
      [`${singleName} 1.0`, 'active', 'current', 'none', []],
    ]);
    expect(rows[0]?.retention?.state).toBe('kept');
    expect(rows[1]?.plainName).toEqual({ now: true, next: true });
    const text = status();
    expect(text.stdout).toContain('In sync: the next run would change nothing.');
  });

  it('names drift made by hand and an unmanaged namesake; its "would change" is the plan of --dry-run', async () => {
    const current = (await managedImages(glance, tag)).find((image) => image.name === multiName);
    if (!current) throw new Error('no current image');
    await glance.updateImage(current.id, [{ op: 'replace', path: '/min_ram', value: 1024 }]);
    const namesake = await glance.createImage({
      name: `${multiName} (20250101)`,
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'public',
    });
    strangers.push(namesake.id);

    const view = statusJson();
    const row = view.definitions[0]?.versions.find((r) => r.image?.id === current.id);
    expect(row?.next).toBe('update');
    expect(row?.changes).toEqual([{ field: 'min_ram', before: 1024, after: 512 }]);
    expect(view.collisions.map((collision) => [collision.image.id, collision.definition])).toEqual([
      [namesake.id, multiName],
    ]);
    expect(planned(view)).toEqual(dryRunPlan());
    expect(planned(view)).toHaveLength(1);
    const text = status();
    expect(text.stdout).toMatch(/would change E2E Status \w+: min_ram 1024 → 512/);
    expect(text.stdout).toContain('users see two');
    // Status wrote nothing: the drift is still there.
    expect((await glance.getImage(current.id)).min_ram).toBe(1024);
  });
});
