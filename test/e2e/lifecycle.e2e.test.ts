import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, managedImages, makeQcow2, runCli, waitForStatus } from './harness.js';

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

describe('--no-wait, and sharing', () => {
  const name = `E2E NoWait ${suffix}`;
  const file = makeQcow2(2);
  const catalogue = writeCatalogue([
    definition({
      name,
      multi: true,
      visibility: 'private',
      versions: [{ version: '1', url: file.url, checksum: `sha512:${file.sha512}`, build_date: '2025-01-01' }],
    }),
  ]);
  const manage = (...flags: string[]) =>
    runCli(['--cloud', e2e.adminCloud, '--images', catalogue, '--tag', tag, ...flags]);

  it('--no-wait starts the import and exits 0; the next run finishes it', async () => {
    const first = manage('--no-wait', '--output', 'json');
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout).report;
    expect(report.counts.deferred).toBeGreaterThan(0);
    expect(report.counts.failed).toBe(0);
    const started = await managedImages(glance, tag);
    expect(started).toHaveLength(1);
    // Created fully described, under the name it ends with (no other image holds it), and private until active.
    expect(started[0]).toMatchObject({ name, internal_version: '1', os_distro: 'ubuntu', visibility: 'private' });
    // Active before the next run looks: still not published as it stands, but verified first.
    const active = await waitForStatus(glance, started[0]?.id as string, 'active');
    expect(active.image_verification).toBe('pending: not verified yet');

    const second = manage('--no-wait');
    expect(second.status, second.stderr).toBe(0);
    const [image] = await managedImages(glance, tag);
    expect(image).toMatchObject({
      name,
      status: 'active',
      visibility: 'private',
      os_distro: 'ubuntu',
      os_hash_value: file.sha512,
      image_verification: expect.stringMatching(/^verified: source sha512 = the definition's/),
    });
  });

  it('--share-image shares a private image with a project, which then sees it; del takes it back', async () => {
    const member = glanceFor(e2e.memberCloud).glance;
    const add = runCli([
      '--cloud',
      e2e.adminCloud,
      '--share-image',
      name,
      '--share-target',
      'demo',
      '--share-domain',
      'Default',
    ]);
    expect(add.status, add.stderr).toBe(0);
    const [image] = await managedImages(glance, tag);
    expect(image?.visibility).toBe('shared');
    expect((await member.listImages({ visibility: 'shared' })).map((i) => i.id)).toContain(image?.id);

    const del = runCli([
      '--cloud',
      e2e.adminCloud,
      '--share-image',
      name,
      '--share-action',
      'del',
      '--share-target',
      'demo',
      '--share-domain',
      'Default',
    ]);
    expect(del.status, del.stderr).toBe(0);
    expect((await member.listImages({ visibility: 'shared' })).map((i) => i.id)).not.toContain(image?.id);
  });
});
