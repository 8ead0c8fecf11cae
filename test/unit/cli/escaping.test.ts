import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/apply/executor.js';
import type { Audit } from '../../../src/cli/commands/check.js';
import { formatAudit } from '../../../src/cli/render/check.js';
import { formatCloudInfo } from '../../../src/cli/render/info.js';
import { createLogger } from '../../../src/cli/logger.js';

import { formatPlan, jsonDocument } from '../../../src/cli/output.js';
import { formatSummary } from '../../../src/cli/progress/summary.js';
import { Redactor } from '../../../src/net/redact.js';
import type { Plan } from '../../../src/plan/types.js';

/** A name as a hostile image or definition could carry it: a forged log line, an OSC title, a colour, bidi. */
const EVIL = 'Evil\n2025-01-01 00:00:00 | ERROR    | forged\u001b]0;pwned\u0007\u001b[31m\u009b2J\u202e\u2028end';
/** Whether a character that must never reach a terminal raw is in `text`, line breaks aside. */
function hasRaw(text: string): boolean {
  return /[\p{Cc}\u202e\u2028]/u.test(text.replaceAll('\n', ''));
}

function logged(format: 'text' | 'json', write: (log: ReturnType<typeof createLogger>) => void): string {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk) => chunks.push(String(chunk)));
  write(createLogger({ format, debug: false, redactor: new Redactor(), stream }));
  return chunks.join('');
}

describe('control characters in text output are shown escaped', () => {
  it('the text logger writes one line per entry, message and fields escaped', () => {
    const out = logged('text', (log) => log.error({ image: EVIL }, `Importing ${EVIL}`));
    expect(out.split('\n')).toHaveLength(2);
    expect(hasRaw(out)).toBe(false);
    expect(out).toContain(String.raw`Evil\n2025-01-01`);
    expect(out).toContain(String.raw`\u001b]0;pwned\u0007`);
    expect(out).toContain(String.raw`\u202e`);
  });

  it('the JSON logger escapes what JSON.stringify leaves raw (DEL, C1, bidi, line separators)', () => {
    const out = logged('json', (log) => log.info({ image: EVIL }, EVIL));
    expect(out.split('\n')).toHaveLength(2);
    expect(hasRaw(out)).toBe(false);
    const entry = JSON.parse(out) as { msg: string; image: string };
    expect(entry.msg).toBe(EVIL);
    expect(entry.image).toBe(EVIL);
  });

  it('formatPlan and formatSummary escape summaries, definition names and messages', () => {
    const plan = {
      actions: [{ seq: 1, kind: 'delete', definition: EVIL, name: EVIL, summary: `delete ${EVIL}`, after: [] }],
      notes: [],
    } as unknown as Plan;
    const planText = formatPlan(plan);
    expect(planText.trimEnd().split('\n')).toHaveLength(1);
    expect(hasRaw(planText)).toBe(false);
    const report: RunReport = {
      results: [
        { seq: 1, kind: 'delete', definition: EVIL, summary: `delete ${EVIL}`, status: 'failed', message: EVIL },
      ],
      counts: { done: 0, failed: 1, skipped: 0, deferred: 0 },
    };
    const reportText = formatSummary(plan, report);
    // The header, the action's row, the counts.
    expect(reportText.trimEnd().split('\n')).toHaveLength(3);
    expect(hasRaw(reportText)).toBe(false);
  });

  it('the JSON document keeps the values and escapes what JSON.stringify leaves raw', () => {
    const plan = { actions: [], notes: [{ level: 'warn', message: EVIL }], definitions: [] } as Plan;
    const text = jsonDocument({ dryRun: true, plan });
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2028]/);
    expect((JSON.parse(text) as { plan: Plan }).plan.notes[0]?.message).toBe(EVIL);
  });

  it('the check table escapes image names and findings, and lines up on the escaped text', () => {
    const audit: Audit = {
      cloud: 'c',
      scsVersion: 'v2',
      verdict: 'FAIL',
      images: [
        {
          id: 'i1',
          name: EVIL,
          visibility: 'public',
          verdict: 'FAIL',
          findings: [{ rule: 'uniqueness', verdict: 'FAIL', message: `also ${EVIL}`, image: EVIL }],
        },
      ],
      standardImages: [{ rule: 'standard_image', verdict: 'WARN', message: EVIL, image: EVIL }],
      recencyNameWarnings: [{ id: 'i1', name: EVIL, message: EVIL }],
    };
    const text = formatAudit(audit);
    expect(hasRaw(text)).toBe(false);
    expect(text.split('\n').filter((line) => line.startsWith('2025'))).toEqual([]);
  });

  it('info escapes what Keystone says about the user and project', () => {
    const text = formatCloudInfo({
      cloud: 'c',
      user: EVIL,
      project: EVIL,
      roles: [EVIL],
      imageEndpoint: 'http://glance',
      importMethods: [],
    });
    expect(hasRaw(text)).toBe(false);
    expect(text.split('\n')).toHaveLength(6);
  });
});
