import { describe, expect, it } from 'vitest';
import { jsonText } from '../../../src/cli/safe-text.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { formatStatus } from '../../../src/cli/render/status-text.js';
import type { StatusView, VersionStatus } from '../../../src/status/types.js';
import { applyToCloud, def, glanceImage, run } from '../plan/helpers.js';
import { statusOf, stranger } from './helpers.js';

const two = def({ versions: ['20240101', '20240201'] });
const three = def({ versions: ['20240101', '20240201', '20240301'] });
/** A cloud as a run of `two` leaves it: 20240201 holds the plain name, 20240101 is `Ubuntu 24.04 (20240101)`. */
const twoInCloud = () => applyToCloud(run(two, []), []);
const threeInCloud = () => applyToCloud(run(three, []), []);

function row(view: StatusView, version: string, definition = 0): VersionStatus {
  const found = view.definitions[definition]?.versions.find((r) => r.version === version && r.role !== 'duplicate');
  if (!found) throw new Error(`no row for ${version}`);
  return found;
}

/** Every action of the plan belongs to exactly one row: status and --dry-run speak of the same actions. */
function expectEveryActionInOneRow(view: StatusView): void {
  const seqs = view.definitions.flatMap((d) => d.versions.flatMap((r) => r.actions));
  expect(seqs.sort((a, b) => a - b)).toEqual(view.actions.map((action) => action.seq));
}

describe('status: defined versions against the cloud', () => {
  it('names a defined version missing from the cloud, which the next run imports and makes current', () => {
    const view = statusOf([three], twoInCloud());
    const missing = row(view, '20240301');
    expect(missing).toMatchObject({
      defined: true,
      role: 'current',
      next: 'import',
      plainName: { now: false, next: true },
    });
    expect(missing.image).toBeUndefined();
    expect(missing.recency?.buildDate).toBe('2024-03-01');
    const handing = row(view, '20240201');
    expect(handing).toMatchObject({ role: 'outdated', next: 'rename', plainName: { now: true, next: false } });
    expect(handing.image?.name).toBe('Ubuntu 24.04');
    expect(handing.changes).toContainEqual({ field: 'name', before: 'Ubuntu 24.04', after: 'Ubuntu 24.04 (20240201)' });
    expect(handing.changes).toContainEqual({ field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' });
    expect(view.summary).toMatchObject({ missing: 1, imports: 1, changing: 1 });
    expect(view.inSync).toBe(false);
    expectEveryActionInOneRow(view);
    const text = formatStatus(view);
    expect(text).toContain('(not in the cloud)');
    expect(text).toMatch(/^ {2}20240301 +\(not in the cloud\) .* current +2024-03-01 +- +import$/m);
    expect(text).toContain('  plain name Ubuntu 24.04: held by 20240201; 20240301 takes it in the next run\n');
    expect(text).toContain(
      '  current 20240301: built 2024-03-01 (471 days ago), replacement due 2024-06-10 (OVERDUE)\n',
    );
  });

  it('is in sync once a run has brought the cloud to the definitions: roles, no drift, nothing next', () => {
    const view = statusOf([three], threeInCloud());
    expect(view.inSync).toBe(true);
    expect(view.actions).toEqual([]);
    expect(view.definitions[0]?.versions.map((r) => [r.version, r.role, r.next, r.changes.length])).toEqual([
      ['20240101', 'outdated', 'none', 0],
      ['20240201', 'outdated', 'none', 0],
      ['20240301', 'current', 'none', 0],
    ]);
    expect(row(view, '20240301').plainName).toEqual({ now: true, next: true });
    expect(row(view, '20240101').retention).toEqual({ state: 'kept', why: 'kept: uuid_validity last-3' });
    expect(formatStatus(view)).toContain('In sync: the next run would change nothing.');
  });

  it("gives each image's build date and age against replace_frequency (scs-0102: 1.1 × quarterly)", () => {
    const recency = row(statusOf([three], threeInCloud()), '20240301').recency;
    // 2024-03-01 + 1.1 × 92 days = 2024-06-10; on 2025-06-15 it is 471 days old.
    expect(recency).toMatchObject({
      buildDate: '2024-03-01',
      ageDays: 471,
      replaceFrequency: 'quarterly',
      replacementDue: '2024-06-10',
      overdue: true,
    });
    const never = def({ versions: ['20240101'], meta: { replace_frequency: 'never' } });
    const calm = row(statusOf([never], applyToCloud(run(never, []), [])), '20240101').recency;
    expect(calm?.overdue).toBe(false);
    expect(calm?.replacementDue).toBeUndefined();
  });

  it('reports drift: the fields that differ from the definition, as the next run changes them', () => {
    const cloud = threeInCloud().map((image) =>
      image.name === 'Ubuntu 24.04' ? { ...image, min_ram: 256, hw_disk_bus: 'virtio' } : image,
    );
    const view = statusOf([three], cloud);
    const current = row(view, '20240301');
    expect(current.next).toBe('update');
    expect(current.changes).toEqual(
      expect.arrayContaining([
        { field: 'min_ram', before: 256, after: 512 },
        { field: 'properties.hw_disk_bus', before: 'virtio', after: 'scsi' },
      ]),
    );
    expect(current.changes).toEqual(view.actions.flatMap((action) => action.changes));
    expect(formatStatus(view)).toMatch(/^ {2}would change Ubuntu 24\.04: .*min_ram 256 → 512/m);
  });
});

describe('status: what retention says about each outdated image', () => {
  const lastTwo = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-2' } });
  const cloud = () => applyToCloud(run(lastTwo, []), []);
  const fates = (opts = {}) => {
    const view = statusOf([lastTwo], cloud(), { opts });
    return ['20240101', '20240201'].map((v) => [row(view, v).retention?.state, row(view, v).next]);
  };

  it('without flags: one outdated version kept, the older one past its retention and left as it is', () => {
    expect(fates()).toEqual([
      ['past', 'none'],
      ['kept', 'none'],
    ]);
    const view = statusOf([lastTwo], cloud());
    expect(row(view, '20240101').retention?.why).toBe(
      'past its retention (uuid_validity last-2); --delete would delete it',
    );
    expect(formatStatus(view)).toContain(
      '\n  retention Ubuntu 24.04 (20240101): past its retention (uuid_validity last-2); --delete would delete it\n',
    );
  });

  it('with --delete it would be deleted, with --deactivate deactivated, with --hide both hidden', () => {
    expect(fates({ delete: true })).toEqual([
      ['past', 'delete'],
      ['kept', 'none'],
    ]);
    expect(fates({ deactivate: true })).toEqual([
      ['past', 'deactivate'],
      ['kept', 'none'],
    ]);
    expect(fates({ hide: true })).toEqual([
      ['past', 'hide'],
      ['kept', 'hide'],
    ]);
    expect(fates({ delete: true, keep: true })).toEqual([
      ['past', 'none'],
      ['kept', 'none'],
    ]);
  });

  it('shows retention in the table and the delete among the next run', () => {
    const text = formatStatus(statusOf([lastTwo], cloud(), { opts: { delete: true } }));
    expect(text).toMatch(/^ {2}20240101 +Ubuntu 24\.04 \(20240101\) .* outdated +2024-01-01 +past +delete$/m);
    expect(text).toMatch(/^ {4}#1 delete Ubuntu 24\.04 \(20240101\)/m);
  });
});

describe('status: images outside the definitions', () => {
  it('lists managed images no loaded definition accounts for, and not those of a definition left unselected', () => {
    const gone = def({ name: 'Gone Linux', versions: ['20240101'] });
    const other = def({ name: 'Other Linux', versions: ['20240101'] });
    const goneImage = glanceImage(gone, '20240101');
    const otherImage = glanceImage(other, '20240101');
    const view = statusOf([three], [...threeInCloud(), goneImage, otherImage], { all: [three, other] });
    expect(view.unaccounted.map((image) => image.id)).toEqual([goneImage.id]);
    expect(view.unaccounted[0]).toMatchObject({ name: 'Gone Linux', imageName: 'Gone Linux' });
    expect(view.summary.unaccounted).toBe(1);
    expect(view.inSync).toBe(true);
    expect(formatStatus(view)).toMatch(/no definition accounts for[^\n]*\n {2}IMAGE +ID .*\n {2}Gone Linux /);
  });

  it('names unmanaged images users see under a managed name, not hidden or private ones', () => {
    const namesake = stranger('Ubuntu 24.04');
    const unmanagedNamed = [
      namesake,
      stranger('Ubuntu 24.04 (20240101)', { os_hidden: true }),
      stranger('Ubuntu 24.04 (20240201)', { visibility: 'private' }),
    ];
    const view = statusOf([three], threeInCloud(), { unmanagedNamed });
    expect(view.collisions).toEqual([
      { definition: 'Ubuntu 24.04', image: expect.objectContaining({ id: namesake.id, owner: 'project-other' }) },
    ]);
    expect(formatStatus(view)).toMatch(
      /users see two\):\n {2}IMAGE .*\n {2}Ubuntu 24\.04 +hand-12- +public +project-other/,
    );
  });

  it('shows a failed image of a version as left alone, and a second usable one as a duplicate to retire', () => {
    const cloud = threeInCloud();
    const failed = glanceImage(three, '20240301', {
      status: 'killed',
      current: false,
      name: 'Ubuntu 24.04 (20240301)',
    });
    const twin = glanceImage(three, '20240201', { current: false });
    const view = statusOf([three], [...cloud, failed, twin]);
    const rows = view.definitions[0]?.versions ?? [];
    expect(rows.find((r) => r.image?.id === failed.id)).toMatchObject({ role: 'left-alone', next: 'none' });
    const claimants = rows.filter((r) => r.version === '20240201').map((r) => [r.role, r.next]);
    expect(claimants.sort()).toEqual([
      ['duplicate', 'rename'],
      ['outdated', 'none'],
    ]);
    expectEveryActionInOneRow(view);
  });
});

describe('status: the SCS recency WARN for outdated images named the OIM way', () => {
  it('flags a visible outdated image whose last word is "(20240101)" while provided_until still holds', () => {
    const promised = def({ versions: ['20240101', '20240201'], meta: { provided_until: '2099-12-31' } });
    const view = statusOf([promised], applyToCloud(run(promised, []), []));
    expect(row(view, '20240101').scsRecencyWarning).toContain('Ubuntu 24.04 (20240101)');
    expect(view.summary.scsRecencyWarnings).toBeGreaterThan(0);
    const text = formatStatus(view);
    expect(text).toMatch(/ RETENTION +NEXT +SCS$/m);
    expect(text).toMatch(/^ {2}20240101 .* WARN$/m);
  });

  it('flags nothing when provided_until makes no promise (nothing is outdated in the test’s sense)', () => {
    const view = statusOf([three], threeInCloud());
    expect(view.summary.scsRecencyWarnings).toBe(0);
    expect(formatStatus(view)).not.toContain(' SCS');
  });
});

describe('status: text fits 120 columns; JSON has everything', () => {
  const longName = `Enterprise Linux ${'Extended Support '.repeat(8)}Edition`;
  const long = def({
    name: longName,
    versions: [
      '20240101',
      '20240201',
      { ...three.versions[2]!, version: '20240301', url: `https://x.example/${'a'.repeat(200)}` },
    ],
  });
  const cloud = (): GlanceImage[] => [
    ...applyToCloud(run(def({ name: longName, versions: ['20240101', '20240201'] }), []), []),
    { ...stranger(`${longName}\u001b[2J`), tags: ['managed_by_osism'], owner: 'project-ours' },
    { ...stranger('Gone\u001b[2J'), tags: ['managed_by_osism'], owner: 'project-ours' },
  ];

  it('keeps every line within 120 characters, names cut with an ellipsis, control characters escaped', () => {
    const view = statusOf([long], cloud(), { unmanagedNamed: [stranger(longName)] });
    const text = formatStatus(view);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((line) => [...line].length > 120)).toEqual([]);
    expect(text).toContain('…');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\u001b');
    // The table, the drift, the next run and both extra sections are all there.
    expect(text).toMatch(/^ {2}VERSION +IMAGE +ID +STATUS +VISIBILITY +HIDDEN +ROLE +BUILT +RETENTION +NEXT$/m);
    expect(text).toContain('no definition accounts for');
    expect(text).toContain('users see two');
  });

  it('puts the full names, ids, changes and actions in one JSON document', () => {
    const view = statusOf([long], cloud(), { unmanagedNamed: [stranger(longName)] });
    const doc = JSON.parse(jsonText(view)) as StatusView;
    expect(Object.keys(doc)).toEqual([
      'cloud',
      'tag',
      'readAt',
      'inSync',
      'summary',
      'definitions',
      'unaccounted',
      'collisions',
      'actions',
      'upstreamFailures',
    ]);
    expect(doc.definitions[0]?.name).toBe(longName);
    const current = doc.definitions[0]?.versions.find((r) => r.plainName.now);
    expect(current?.image?.name).toBe(longName);
    expect(current?.image?.id).toMatch(/^new-\d{4}$/);
    expect(doc.actions.map((action) => action.summary)).toEqual(view.actions.map((action) => action.summary));
    expect(doc.actions[0]).toMatchObject({ seq: 1, kind: 'import', definition: longName });
    expect(doc.actions[0]?.summary).toContain('a'.repeat(200));
    expect(doc.collisions[0]?.image.name).toBe(longName);
    expect(doc.unaccounted[0]?.name).toBe(`${longName}\u001b[2J`);
    expect(Object.keys(doc.definitions[0]?.versions[0] ?? {})).toEqual(
      expect.arrayContaining(['version', 'defined', 'image', 'role', 'plainName', 'recency', 'next', 'changes']),
    );
  });
});

describe('status: how each image was verified when it was imported (its image_verification)', () => {
  it('reads the record the publishing run wrote; a line names each image not verified end to end', () => {
    const records: Record<string, string | undefined> = {
      '20240101': undefined,
      '20240201': "source verified: source sha256 = the definition's; not end to end: Glance converted it to raw",
      '20240301': "verified: source sha256 = the definition's; Glance's sha512 = the source's",
    };
    const cloud = threeInCloud().map((image) => {
      const record = records[String(image.internal_version)];
      return record === undefined ? image : { ...image, image_verification: record };
    });
    const view = statusOf([three], cloud);
    expect(row(view, '20240301').verification).toEqual({
      state: 'verified',
      detail: "source sha256 = the definition's; Glance's sha512 = the source's",
    });
    expect(row(view, '20240201').verification).toEqual({
      state: 'source-verified',
      detail: "source sha256 = the definition's; not end to end: Glance converted it to raw",
    });
    expect(row(view, '20240101').verification?.state).toBe('not-recorded');
    const text = formatStatus(view);
    expect(text).toContain(
      "  source verified Ubuntu 24.04 (20240201): source sha256 = the definition's; not end to end: Glance converted",
    );
    expect(text).toContain('  not recorded Ubuntu 24.04 (20240101): imported before verification by default');
    expect(text).not.toMatch(/ {2}verified Ubuntu 24.04:/);
    expect(text).not.toContain('imported Ubuntu');
  });

  it('says which source an image with a mirror came from: the mirror, or url when the mirror could not serve it', () => {
    const records: Record<string, string> = {
      '20240201': "verified: from url; source sha256 = the definition's; Glance's sha512 = the source's",
      '20240301': "verified: from mirror; source sha256 = the definition's; Glance's sha512 = the source's",
    };
    const cloud = threeInCloud().map((image) => {
      const record = records[String(image.internal_version)];
      return record === undefined ? image : { ...image, image_verification: record };
    });
    const view = statusOf([three], cloud);
    expect(row(view, '20240301').verification).toEqual({
      state: 'verified',
      detail: "source sha256 = the definition's; Glance's sha512 = the source's",
      from: 'mirror',
    });
    expect(row(view, '20240201').verification?.from).toBe('url');
    const text = formatStatus(view);
    expect(text).toContain('  imported Ubuntu 24.04 from the mirror\n');
    expect(text).toContain('  imported Ubuntu 24.04 (20240201) from url: the mirror could not serve it\n');
  });
});
