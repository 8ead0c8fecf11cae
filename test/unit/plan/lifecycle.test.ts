import { describe, expect, it } from 'vitest';
import type { ImageStatus } from '../../../src/openstack/image.js';
import {
  applyToCloud,
  def,
  deletes,
  glanceImage,
  imports,
  kinds,
  noteTexts,
  renames,
  resumes,
  run,
  touched,
  updates,
} from './helpers.js';

const cirros = def({
  name: 'Cirros',
  multi: false,
  versions: ['0.6.1', '0.6.2'],
  meta: { os_distro: 'cirros', os_version: '0.6', uuid_validity: 'none' },
});

describe('plan: single-version (non-multi) images (rule 7)', () => {
  it('imports every defined version as a current image under NAME V, with no plain name', () => {
    const result = run(cirros, []);
    expect(kinds(result)).toEqual(['import', 'import']);
    expect(
      imports(result).map((a) => [
        a.desired.name,
        a.desired.properties.os_purpose,
        a.desired.properties.os_version,
        a.desired.visibility,
      ]),
    ).toEqual([
      ['Cirros 0.6.1', 'generic', '0.6.1', 'public'],
      ['Cirros 0.6.2', 'generic', '0.6.2', 'public'],
    ]);
    expect(run(cirros, applyToCloud(result, [])).actions).toEqual([]);
  });

  it('leaves the defined versions alone when they are in place', () => {
    expect(
      run(cirros, [glanceImage(cirros, '0.6.1'), glanceImage(cirros, '0.6.2')], { delete: true, hide: true }).actions,
    ).toEqual([]);
  });

  it('treats a version no longer defined as outdated: retention applies', () => {
    const gone = { ...glanceImage(cirros, '0.5.2'), os_purpose: 'generic' };
    expect(gone.name).toBe('Cirros 0.5.2');
    const observed = [gone, glanceImage(cirros, '0.6.1'), glanceImage(cirros, '0.6.2')];
    const result = run(cirros, observed, { delete: true });
    expect(result.actions).toEqual([
      expect.objectContaining({ kind: 'delete', imageId: gone.id, name: 'Cirros 0.5.2', after: [] }),
    ]);
  });

  it('keeps that outdated version with --keep; it only becomes oldgeneric (and hidden with --hide)', () => {
    const gone = { ...glanceImage(cirros, '0.5.2'), os_purpose: 'generic' };
    const observed = [gone, glanceImage(cirros, '0.6.1'), glanceImage(cirros, '0.6.2')];
    const result = run(cirros, observed, { delete: true, keep: true, hide: true });
    expect(deletes(result)).toEqual([]);
    expect(updates(result)).toEqual([
      expect.objectContaining({
        imageId: gone.id,
        changes: expect.arrayContaining([
          { field: 'visibility', before: 'public', after: 'community' },
          { field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' },
        ]),
      }),
    ]);
    // Its name and its other properties stay as they were written.
    expect(updates(result)[0]?.changes).toHaveLength(2);
  });
});

describe('plan: images left unfinished (rule 8)', () => {
  const d = def({ versions: ['20240101', '20240201'] });

  it.each<ImageStatus>(['queued', 'importing', 'saving', 'uploading'])(
    'resumes a %s image of a defined version',
    (status) => {
      const older = glanceImage(d, '20240101');
      const pending = { ...glanceImage(d, '20240201', { current: false }), status, visibility: 'private' as const };
      const result = run(d, [older, pending]);
      expect(imports(result)).toEqual([]);
      // No other image holds the plain name: the resume gives it with the rest of its changes (rule 2).
      expect(kinds(result)).toEqual(['resume-import']);
      const [resume] = resumes(result);
      expect(resume).toMatchObject({
        image: { id: pending.id },
        desired: { name: 'Ubuntu 24.04', visibility: 'public' },
      });
      expect(resume?.source.from[0].url).toBe('https://images.example.com/img-20240201.qcow2');
      expect(resume?.changes).toEqual(
        expect.arrayContaining([
          { field: 'name', before: 'Ubuntu 24.04 (20240201)', after: 'Ubuntu 24.04' },
          { field: 'visibility', before: 'private', after: 'public' },
        ]),
      );
    },
  );

  it('resumes an active image still pending verification (a --no-wait run imported it); keeps one without', () => {
    const older = glanceImage(d, '20240101');
    const active = { ...glanceImage(d, '20240201', { current: false }), visibility: 'private' as const };
    const pending = { ...active, image_verification: 'pending: not verified yet' };
    expect(kinds(run(d, [older, pending]))).toEqual(['resume-import']);
    expect(resumes(run(d, [older, pending]))[0]?.image.id).toBe(pending.id);
    // Published before verification was recorded (or by another tool): kept and fitted, not read again.
    expect(kinds(run(d, [older, active]))).not.toContain('resume-import');
  });

  it('resumes before the rotation: the current image leaves the plain name only after', () => {
    const current = glanceImage(d, '20240101', { current: true });
    const pending = { ...glanceImage(d, '20240201', { current: false }), status: 'importing' as const };
    const result = run(d, [current, pending]);
    expect(kinds(result)).toEqual(['resume-import', 'rename', 'rename']);
    expect(renames(result).map((r) => [r.to, r.after])).toEqual([
      ['Ubuntu 24.04 (20240101)', [1]],
      ['Ubuntu 24.04', [1, 2]],
    ]);
  });

  it('leaves a killed image alone and notes it; nothing is done for that version', () => {
    const older = glanceImage(d, '20240101', { current: true });
    const killed = { ...glanceImage(d, '20240201', { current: false }), status: 'killed' as const };
    const result = run(d, [older, killed]);
    expect(result.actions).toEqual([]);
    expect(noteTexts(result).join('\n')).toMatch(/20240201 exists only as killed image/);
    expect(noteTexts(result).join('\n')).toMatch(/20240201 not imported/);
  });

  it('works with the usable image of a version and leaves a killed duplicate alone', () => {
    const older = glanceImage(d, '20240101');
    const current = glanceImage(d, '20240201');
    const killed = { ...glanceImage(d, '20240201'), status: 'killed' as const, created_at: '2025-01-01T00:00:00Z' };
    const result = run(d, [older, current, killed], { delete: true });
    expect(result.actions).toEqual([]);
    expect(result.notes.filter((n) => n.level === 'warn')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`${killed.id} (killed) also claims version 20240201; using ${current.id}`),
      }),
    ]);
  });
});

describe('plan: ordering across definitions (rule 9)', () => {
  it('puts all imports first and every dependency before its dependant', () => {
    const ubuntu = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-3' } });
    const debian = def({
      name: 'Debian 12',
      versions: ['12.4', '12.5', '12.6'],
      meta: { os_distro: 'debian', uuid_validity: 'last-2' },
    });
    const observed = [
      glanceImage(ubuntu, '20231201'),
      glanceImage(ubuntu, '20240101'),
      glanceImage(ubuntu, '20240201', { current: true, hw_disk_bus: 'ide' }),
      glanceImage(debian, '12.3'),
      glanceImage(debian, '12.4', { current: true }),
    ];
    const result = run([ubuntu, debian], observed, { delete: true, hide: true });
    // run() checks: seqs in order, imports first, `after` only earlier seqs, deletes after every import.
    expect(imports(result).map((a) => a.desired.name)).toEqual([
      'Ubuntu 24.04 (20240301)',
      'Debian 12 (12.5)',
      'Debian 12 (12.6)',
    ]);
    // Ubuntu keeps 2 outdated (20240201, 20240101); Debian keeps 1 (12.5): 12.4 goes once it is no longer current.
    expect(
      deletes(result)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['Debian 12', 'Debian 12 (12.3)', 'Ubuntu 24.04 (20231201)']);
    expect(touched(result)).toContain(observed[2]?.id);
    expect(run([ubuntu, debian], applyToCloud(result, observed), { delete: true, hide: true }).actions).toEqual([]);
  });
});
