import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { ADMIN_PASSWORD_OF_STACK, cloudsWithBrokenCopy, WRONG_PASSWORD } from './clouds-copy.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli } from './harness.js';

// Two clouds in one run: devstack-admin (RegionOne) and devstack-region2 (RegionTwo), one Keystone and one
// project, but two glance-api processes with their own databases and stores: two Glances.

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const clouds = [e2e.adminCloud, e2e.region2Cloud] as const;
const glances = Object.fromEntries(clouds.map((cloud) => [cloud, glanceFor(cloud).glance]));

afterAll(async () => {
  for (const glance of Object.values(glances)) {
    for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  }
});

/** A definition of two versions; the newer fixes its image id with OIM's `id` (a new UUID: Glance never reuses one). */
function catalogue(name: string, fixedId: string): string {
  const [old, current] = [makeQcow2(1), makeQcow2(1)];
  const image = definition({
    name,
    multi: true,
    versions: [
      { version: '20250101', url: old.url, checksum: `sha512:${old.sha512}`, build_date: '2025-01-01' },
      { version: '20250301', url: current.url, checksum: `sha512:${current.sha512}`, build_date: '2025-03-01' },
    ],
  });
  (image.versions as Array<Record<string, unknown>>)[1] = {
    ...(image.versions as Array<Record<string, unknown>>)[1],
    id: fixedId,
  };
  return writeCatalogue([image]);
}

interface CloudsDocument {
  exitCode: number;
  clouds: Record<
    string,
    {
      plan?: { actions: unknown[] };
      report?: { counts: { done: number; failed: number } };
      error?: { message: string; exitCode: number; kind: string };
    }
  >;
}

describe('one run, two clouds', () => {
  const name = `E2E Regions ${suffix}`;
  const fixedId = randomUUID();
  const images = catalogue(name, fixedId);
  const manage = (...flags: string[]) =>
    runCli(['--cloud', e2e.adminCloud, '--cloud', e2e.region2Cloud, '--images', images, '--tag', tag, ...flags]);

  it('converges both, the version with an `id` under that UUID in each; a second run plans nothing', async () => {
    const first = manage('--output', 'json');
    expect(first.status, first.stderr).toBe(0);
    const document = JSON.parse(first.stdout) as CloudsDocument;
    expect(Object.keys(document.clouds)).toEqual([...clouds]);
    for (const cloud of clouds) {
      expect(document.clouds[cloud]?.report?.counts).toMatchObject({ done: 2, failed: 0 }); // two imports
      const managed = await managedImages(glances[cloud] ?? expect.fail(), tag);
      expect(managed.map((image) => image.name).sort()).toEqual([name, `${name} (20250101)`]);
      expect(managed.find((image) => image.name === name)).toMatchObject({ id: fixedId, status: 'active' });
    }
    expect(first.stderr).toMatch(new RegExp(`\\| \\[${e2e.region2Cloud}\\] `));

    const second = manage('--dry-run', '--output', 'json');
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as CloudsDocument;
    for (const cloud of clouds) expect(again.clouds[cloud]?.plan?.actions).toEqual([]);
  });
});

describe('one cloud broken', () => {
  const name = `E2E Broken ${suffix}`;
  const broken = 'devstack-broken';
  const images = catalogue(name, randomUUID());
  const env = { OS_CLIENT_CONFIG_FILE: cloudsWithBrokenCopy(broken) };

  it('the good cloud converges, the run exits 1, the error names the broken cloud, and no secret shows', async () => {
    const run = runCli(['--cloud', broken, '--cloud', e2e.adminCloud, '--images', images, '--tag', tag], env);
    expect(run.status, run.stderr).toBe(1);
    const managed = await managedImages(glances[e2e.adminCloud] ?? expect.fail(), tag);
    expect(managed.filter((image) => image.name === name)).toHaveLength(1);
    expect(run.stdout).toMatch(new RegExp(`=== cloud ${broken} \\(exit 2\\) ===\\nerror: cloud "${broken}": `));
    expect(run.stdout).toMatch(new RegExp(`=== cloud ${e2e.adminCloud} ===\\n`));
    expect(run.stderr).toMatch(new RegExp(`\\[${broken}\\] .*refused the credentials`));
    for (const secret of [WRONG_PASSWORD, ADMIN_PASSWORD_OF_STACK])
      expect(run.stdout + run.stderr).not.toContain(secret);

    const json = runCli(
      ['--cloud', broken, '--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--output', 'json'],
      env,
    );
    expect(json.status).toBe(1);
    const document = JSON.parse(json.stdout) as CloudsDocument;
    expect(document.exitCode).toBe(1);
    expect(document.clouds[broken]?.error).toMatchObject({ exitCode: 2, kind: 'authentication' });
    expect(document.clouds[e2e.adminCloud]?.report?.counts.failed).toBe(0);
  });
});
