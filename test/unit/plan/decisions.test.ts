import { describe, expect, it } from 'vitest';
import { imagesOf } from '../../../src/plan/decisions.js';
import { reasonText } from '../../../src/plan/reasons.js';
import { def, glanceImage, run } from './helpers.js';

describe('the plan is complete: every version, every image, with a typed reason', () => {
  const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-2' } });

  it('decides every version, no-ops included, and accounts for every image it owns', () => {
    const old = glanceImage(d, '20240101');
    const killed = { ...glanceImage(d, '20240201'), status: 'killed' as const };
    const current = glanceImage(d, '20240301');
    const twin = { ...glanceImage(d, '20240301'), name: 'Ubuntu 24.04 (20240301)', created_at: '2025-01-01T00:00:00Z' };
    const plan = run(d, [old, killed, current, twin], { latest: true });
    const [entry] = plan.definitions;
    expect(entry?.definition).toBe(d.name);
    expect(entry?.versions.map((v) => [v.version, v.defined, v.decisions.map((decision) => decision.fate)])).toEqual([
      ['20240101', true, ['keep']],
      ['20240201', true, ['none', 'leave']],
      ['20240301', true, ['keep', 'keep']],
    ]);
    const [oldest, failed, newest] = entry?.versions ?? [];
    expect(oldest?.decisions[0]).toMatchObject({ image: old, role: 'outdated', name: 'Ubuntu 24.04 (20240101)' });
    expect(oldest?.decisions[0]?.reason).toEqual({ kind: 'kept', rank: 0, validity: 'last-2' });
    expect(failed?.decisions).toEqual([
      { fate: 'none', reason: { kind: 'not-imported', because: 'failed-image' } },
      { fate: 'leave', image: killed, reason: { kind: 'left-alone' } },
    ]);
    expect(newest?.decisions[0]).toMatchObject({ image: current, role: 'current', reason: { kind: 'current' } });
    expect(newest?.decisions[1]).toMatchObject({ image: twin, duplicateOf: current.id, role: 'outdated' });
    expect(entry ? imagesOf(entry) : []).toEqual([old, killed, current, twin]);
    // The notes say in words what the decisions say in values.
    expect(plan.notes.map((note) => note.message)).toContain(
      `version 20240201 not imported: ${reasonText({ kind: 'not-imported', because: 'failed-image' })}`,
    );
  });
});
