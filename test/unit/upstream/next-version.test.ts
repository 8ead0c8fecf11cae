import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import {
  decideUpdate,
  formatChecksum,
  freeVersion,
  listsBuild,
  withNewVersion,
  type FoundBuild,
  type UpdateDecision,
} from '../../../src/upstream/next-version.js';
import { upstreamDefinition, writtenVersion } from './fake-upstream.js';

const digest = (char: string) => ({ algo: 'sha256', hex: char.repeat(64) });
/** The last day a build may be dated, after every date below. */
const LATEST_DAY = '20261208';

function build(
  date: string,
  char: string,
  url = `https://cloud-images.ubuntu.com/noble/${date}/noble-server-cloudimg-amd64.img`,
): FoundBuild {
  return { url, checksum: digest(char), date };
}

/** A definition whose versions are dated and each carry a digest of their own (`1`, `2`, … in order). */
function definition(...versions: string[]): ImageDefinition {
  return upstreamDefinition(
    'Ubuntu 24.04',
    undefined,
    versions.map((version, index) =>
      writtenVersion(version, {
        url: `https://cloud-images.ubuntu.com/noble/${version}/noble-server-cloudimg-amd64.img`,
        checksum: digest(String(index + 1)),
        build_date: `${version.slice(0, 4)}-${version.slice(4, 6)}-${version.slice(6, 8)}`,
      }),
    ),
  );
}

function newDecision(decision: UpdateDecision): Extract<UpdateDecision, { kind: 'new' }> {
  if (decision.kind !== 'new') throw new Error(`expected a new version, got ${JSON.stringify(decision)}`);
  return decision;
}

describe('listsBuild', () => {
  it('matches by digest, whatever the URL', () => {
    const def = definition('20260101', '20260201');
    expect(listsBuild(def, { url: 'https://elsewhere.example.org/x.img', checksum: digest('2') })?.version).toBe(
      '20260201',
    );
  });

  it('does not match the same hex under another algo', () => {
    const def = definition('20260101');
    expect(
      listsBuild(def, {
        url: 'https://elsewhere.example.org/x.img',
        checksum: { algo: 'sha512', hex: '1'.repeat(64) },
      }),
    ).toBeUndefined();
  });

  it('matches by URL only where no digest is written', () => {
    const url = 'https://cloud-images.ubuntu.com/noble/20260101/noble-server-cloudimg-amd64.img';
    const { checksum: _dropped, ...withoutDigest } = writtenVersion('20260101', { url });
    const def = upstreamDefinition('Ubuntu 24.04', undefined, [withoutDigest]);
    expect(listsBuild(def, { url, checksum: digest('9') })?.version).toBe('20260101');
    expect(listsBuild(def, { url: `${url}.other`, checksum: digest('9') })).toBeUndefined();
    // A written digest wins over an equal URL: the file behind a URL can change.
    const withDigest = definition('20260101');
    expect(listsBuild(withDigest, { url, checksum: digest('9') })).toBeUndefined();
  });
});

describe('decideUpdate', () => {
  it('current: the definition lists the digest', () => {
    expect(decideUpdate(definition('20260101', '20260201'), build('20260301', '1'), LATEST_DAY)).toEqual({
      kind: 'current',
      version: '20260101',
    });
  });

  it('current: the same URL where no digest is written', () => {
    const url = 'https://cloud-images.ubuntu.com/noble/20260201/noble-server-cloudimg-amd64.img';
    const { checksum: _dropped, ...withoutDigest } = writtenVersion('20260201', { url });
    const def = upstreamDefinition('Ubuntu 24.04', undefined, [withoutDigest]);
    expect(decideUpdate(def, build('20260201', '9', url), LATEST_DAY)).toEqual({
      kind: 'current',
      version: '20260201',
    });
  });

  it('older: a build dated before the newest defined version is not taken', () => {
    expect(decideUpdate(definition('20260101', '20260201'), build('20260115', '9'), LATEST_DAY)).toEqual({
      kind: 'older',
      newest: '20260201',
      offered: '20260115',
    });
  });

  it('new: the build dated after the newest, dropping the oldest so the length stays', () => {
    const def = definition('20260101', '20260201', '20260301');
    const decision = newDecision(decideUpdate(def, build('20260401', '9'), LATEST_DAY));
    expect(decision.version).toEqual({
      line: def.line,
      version: '20260401',
      url: 'https://cloud-images.ubuntu.com/noble/20260401/noble-server-cloudimg-amd64.img',
      checksum: digest('9'),
      build_date: '2026-04-01',
      meta: {},
    });
    expect(decision.drop?.version).toBe('20260101');
    expect(withNewVersion(def, decision).versions.map((version) => version.version)).toEqual([
      '20260201',
      '20260301',
      '20260401',
    ]);
  });

  it('new: a single version stays single', () => {
    const def = definition('20260101');
    const decision = newDecision(decideUpdate(def, build('20260201', '9'), LATEST_DAY));
    expect(decision.drop?.version).toBe('20260101');
    const updated = withNewVersion(def, decision);
    expect(updated.versions.map((version) => version.version)).toEqual(['20260201']);
    expect(updated.versions[0]?.checksum).toEqual(digest('9'));
  });

  it('new: zero versions adds one and drops nothing', () => {
    const def = definition();
    const decision = newDecision(decideUpdate(def, build('20260201', '9'), LATEST_DAY));
    expect(decision).not.toHaveProperty('drop');
    expect(withNewVersion(def, decision).versions.map((version) => version.version)).toEqual(['20260201']);
  });

  it('a second build on the same day is DATE.1, a third DATE.2', () => {
    let def = definition('20260101', '20260201');
    const second = newDecision(decideUpdate(def, build('20260201', '8'), LATEST_DAY));
    expect(second.version.version).toBe('20260201.1');
    expect(second.version.build_date).toBe('2026-02-01');
    def = withNewVersion(def, second);
    expect(def.versions.map((version) => version.version)).toEqual(['20260201', '20260201.1']);

    const third = newDecision(decideUpdate(def, build('20260201', '9'), LATEST_DAY));
    expect(third.version.version).toBe('20260201.2');
    def = withNewVersion(def, third);
    expect(def.versions.map((version) => version.version)).toEqual(['20260201.1', '20260201.2']);

    // Each of them is current once written, and an older day is still older.
    expect(decideUpdate(def, build('20260201', '8'), LATEST_DAY)).toEqual({ kind: 'current', version: '20260201.1' });
    expect(decideUpdate(def, build('20260131', '7'), LATEST_DAY)).toEqual({
      kind: 'older',
      newest: '20260201.2',
      offered: '20260131',
    });
  });

  it('a new build after a DATE.N version takes its plain date', () => {
    const def = definition('20260201', '20260201.1');
    expect(newDecision(decideUpdate(def, build('20260202', '9'), LATEST_DAY)).version.version).toBe('20260202');
  });
});

describe('the order of mixed labels is the build order (issue 16)', () => {
  const held = (...labels: string[]) =>
    upstreamDefinition(
      'Image',
      undefined,
      labels.map((label, index) => writtenVersion(label, { checksum: digest(String(index + 1)) })),
    );

  it('v20260301 held, build 20260401: new, and the newest of the definition', () => {
    const def = held('v20260301', '20260115');
    const decision = newDecision(decideUpdate(def, build('20260401', '9'), LATEST_DAY));
    expect(decision.drop?.version).toBe('20260115');
    expect(withNewVersion(def, decision).versions.map((version) => version.version)).toEqual(['v20260301', '20260401']);
  });

  it('drops the oldest build, not the first label: 20260215 before 2026-03-01', () => {
    // The loader of old gave them in this natural label order and dropped 2026-03-01, the newest.
    const def = held('2026-03-01', '20260215');
    const decision = newDecision(decideUpdate(def, build('20260401', '9'), LATEST_DAY));
    expect(decision.drop?.version).toBe('20260215');
    expect(withNewVersion(def, decision).versions.map((version) => version.version)).toEqual([
      '2026-03-01',
      '20260401',
    ]);
  });

  it('2026-03-01 held, build 20260201: not taken', () => {
    expect(decideUpdate(held('2026-03-01'), build('20260201', '9'), LATEST_DAY)).toEqual({
      kind: 'older',
      newest: '2026-03-01',
      offered: '20260201',
    });
  });
});

describe('withNewVersion', () => {
  it('returns the versions in build order, naturally within a day, and leaves the input alone', () => {
    // Written out of order on purpose: the result must be sorted naturally, not appended.
    const def = definition('20260201', '20260201.10', '20260201.9');
    const decision: Extract<UpdateDecision, { kind: 'new' }> = {
      kind: 'new',
      version: writtenVersion('20260201.2'),
      drop: def.versions[0]!,
    };
    const updated = withNewVersion(def, decision);
    expect(updated.versions.map((version) => version.version)).toEqual(['20260201.2', '20260201.9', '20260201.10']);
    expect(def.versions.map((version) => version.version)).toEqual(['20260201', '20260201.10', '20260201.9']);
    expect(updated.name).toBe(def.name);
  });
});

describe('freeVersion', () => {
  it('is the date when free, else the first free DATE.N', () => {
    expect(freeVersion('20260201', new Set())).toBe('20260201');
    expect(freeVersion('20260201', new Set(['20260201']))).toBe('20260201.1');
    expect(freeVersion('20260201', new Set(['20260201', '20260201.1', '20260201.3']))).toBe('20260201.2');
  });
});

describe('formatChecksum', () => {
  it('writes algo:hex', () => {
    expect(formatChecksum(digest('a'))).toBe(`sha256:${'a'.repeat(64)}`);
  });
});
