import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/cli/progress/summary.js';
import { TEXT_WIDTH as SUMMARY_WIDTH } from '../../../src/util/text-width.js';
import { hasControl, deleteOf, hideOf, importOf, renameOf, reportOf, resultOf } from './fixtures.js';

describe('the summary table', () => {
  it('shows image, what was done, result and duration per action, then the counts', () => {
    const imported = importOf(1, 'Demo Linux (20250301)');
    const renamed = renameOf(2, 'Demo Linux (20250301)', 'Demo Linux', [1]);
    const hidden = hideOf(3, 'Demo Linux (20250101)');
    const plan = { actions: [imported, renamed, hidden], notes: [], definitions: [] };
    const report = reportOf([
      resultOf(imported, 'done', { message: 'verified', durationMs: 1234 }),
      resultOf(renamed, 'done', { durationMs: 80 }),
      resultOf(hidden, 'done', { durationMs: 65_000 }),
    ]);
    const lines = formatSummary(plan, report).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE\s+ACTION\s+RESULT\s+TIME$/);
    expect(lines[1]).toMatch(/^Demo Linux \(20250301\)\s+import\s+done: verified\s+1\.2s$/);
    expect(lines[2]).toMatch(/^Demo Linux \(20250301\)\s+rename to Demo Linux\s+done\s+0\.1s$/);
    expect(lines[3]).toMatch(/^Demo Linux \(20250101\)\s+hide, update 1 field\s+done\s+1m05s$/);
    expect(lines[4]).toBe('3 actions: 3 done, 0 failed, 0 skipped, 0 deferred');
    // The columns line up: every row's action starts where the header's does.
    const column = (lines[0] ?? '').indexOf('ACTION');
    for (const line of lines.slice(1, 4)) expect(line.slice(column - 2, column)).toBe('  ');
  });

  it('says failed, skipped and deferred with their reasons, once, and "-" for what did not run', () => {
    const imported = importOf(1, 'Debian 12 (20250115)');
    const renamed = renameOf(2, 'Debian 12 (20250115)', 'Debian 12', [1]);
    const removed = deleteOf(3, 'Debian 12 (20240101)');
    const plan = { actions: [imported, renamed, removed], notes: [], definitions: [] };
    const report = reportOf([
      resultOf(imported, 'failed', { message: 'Tested URL https://example.org/1.qcow2: 404', durationMs: 300 }),
      resultOf(renamed, 'skipped', { message: 'skipped: #1 did not succeed' }),
      resultOf(removed, 'deferred', { message: 'waits for #1 to finish' }),
    ]);
    const lines = formatSummary(plan, report).trimEnd().split('\n');
    expect(lines[1]).toMatch(/import\s+failed: Tested URL https:\/\/example\.org\/1\.qcow2: 404\s+0\.3s$/);
    expect(lines[2]).toMatch(/rename to Debian 12\s+skipped: #1 did not succeed\s+-$/);
    expect(lines[3]).toMatch(/^Debian 12 \(20240101\)\s+delete\s+deferred: waits for #1 to finish\s+-$/);
    expect(lines[4]).toBe('3 actions: 0 done, 1 failed, 1 skipped, 1 deferred');
  });

  it('fits 120 columns, cutting long names and messages with an ellipsis', () => {
    const long = `Ubuntu ${'Very Long Name '.repeat(8)}(20250101)`;
    const imported = importOf(1, long);
    const plan = { actions: [imported], notes: [], definitions: [] };
    const report = reportOf([resultOf(imported, 'failed', { message: 'x'.repeat(300), durationMs: 5 })]);
    const lines = formatSummary(plan, report).trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(SUMMARY_WIDTH);
    expect(lines[1]).toContain('…');
    expect(lines[1]?.startsWith('Ubuntu Very Long Name')).toBe(true);
    expect(lines[1]).toMatch(/x… +0\.0s$/);
  });

  it('counts one action in the singular and escapes control characters', () => {
    const evil = 'Evil\u001b[2J\rImage';
    const imported = importOf(1, evil);
    const text = formatSummary(
      { actions: [imported], notes: [], definitions: [] },
      reportOf([resultOf(imported, 'done')]),
    );
    expect(hasControl(text)).toBe(false);
    expect(text).toContain('Evil\\u001b[2J\\rImage');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 action: 1 done, 0 failed, 0 skipped, 0 deferred');
  });

  it('says there was nothing to do for an empty plan, and still ends with the counts', () => {
    const text = formatSummary({ actions: [], notes: [], definitions: [] }, reportOf([]));
    expect(text).toBe(
      'Nothing to do: every managed image matches its definition.\n0 actions: 0 done, 0 failed, 0 skipped, 0 deferred\n',
    );
  });
});
