import { describe, expect, it } from 'vitest';
import type { Finding, Verdict } from '../../../src/scs/findings.js';
import { checkImage, checkImages } from '../../../src/scs/image-metadata.js';
import type { ImageSubject } from '../../../src/scs/image-subject.js';
import { NOW, V2, findingOf, image, verdictOf, type Overrides } from './helpers.js';

/** An image built on `built` (YYYY-MM-DD[ hh:mm]) with the given replace_frequency, registered right after. */
function built(builtOn: string, frequency: string, overrides: Overrides = {}): ImageSubject {
  const { props = {}, ...rest } = overrides;
  return image({
    created_at: undefined,
    ...rest,
    props: { image_build_date: builtOn, replace_frequency: frequency, ...props },
  });
}

function recency(subject: ImageSubject, now: Date = NOW): Finding {
  return findingOf(checkImage(subject, { version: 'v2', now }), 'recency');
}

/** The recency verdict of the image named `name` when all `images` are checked together. */
function recencyAmong(images: ImageSubject[], name: string): Verdict {
  const all = checkImages(images, V2).flat();
  return verdictOf(all, 'recency', name);
}

describe('recency: when an image is outdated', () => {
  it.each<[string, string, string, Verdict]>([
    ['monthly, built 14 days ago', '2025-06-01', 'monthly', 'PASS'],
    ['monthly, built 45 days ago', '2025-05-01', 'monthly', 'FAIL'],
    ['weekly, built 7 days ago', '2025-06-08', 'weekly', 'PASS'],
    ['weekly, built 8 days ago', '2025-06-07', 'weekly', 'FAIL'],
    // 1.1 x 7 days = 184.8 h (the conformance test counts 7 x 25 h: 192.5 h)
    ['weekly, built 7 d 18 h ago', '2025-06-07 18:00', 'weekly', 'FAIL'],
    ['weekly, built 7 d 16 h ago', '2025-06-07 20:00', 'weekly', 'PASS'],
    ['quarterly, built 100 days ago', '2025-03-07', 'quarterly', 'PASS'],
    ['quarterly, built 105 days ago', '2025-03-02', 'quarterly', 'FAIL'],
    ['yearly, built 380 days ago', '2024-05-31', 'yearly', 'PASS'],
    ['yearly, built 410 days ago', '2024-05-01', 'yearly', 'FAIL'],
    // 1.1 x 1 day = 26.4 h (the conformance test counts a day as 25 h and would still pass the first)
    ['daily, built 27 h ago', '2025-06-14 09:00', 'daily', 'FAIL'],
    ['daily, built 26 h ago', '2025-06-14 10:00', 'daily', 'PASS'],
    ['never, built 10 years ago', '2015-01-01', 'never', 'PASS'],
    ['critical_bug, built 10 years ago', '2015-01-01', 'critical_bug', 'PASS'],
  ])('%s: %s', (_title, builtOn, frequency, verdict) => {
    expect(recency(built(builtOn, frequency)).verdict).toBe(verdict);
  });

  it('is outdated exactly after 1.1 x the period', () => {
    const subject = built('2025-05-01', 'monthly');
    const due = Date.UTC(2025, 4, 1) + 1.1 * 31 * 86_400_000;
    expect(recency(subject, new Date(due)).verdict).toBe('PASS');
    expect(recency(subject, new Date(due + 1000)).verdict).toBe('FAIL');
  });

  it('falls back to created_at when the image has no build date, and does not judge without either', () => {
    expect(
      recency(
        built('2025-06-01', 'monthly', { created_at: '2025-01-01T00:00:00Z', props: { image_build_date: undefined } }),
      ).verdict,
    ).toBe('FAIL');
    const neither = recency(built('2025-06-01', 'monthly', { props: { image_build_date: undefined } }));
    expect(neither.verdict).toBe('PASS');
    expect(neither.message).toContain('not judged');
  });

  it('leaves an invalid or missing replace_frequency to its own rule', () => {
    expect(recency(built('2015-01-01', 'fortnightly')).verdict).toBe('PASS');
    expect(recency(built('2015-01-01', 'monthly', { props: { replace_frequency: undefined } })).verdict).toBe('PASS');
  });
});

describe('recency: provided_until of an outdated image', () => {
  const outdated = (providedUntil: string | undefined): ImageSubject =>
    built('2025-01-01', 'monthly', { props: { provided_until: providedUntil } });

  it.each<[string, string | undefined, Verdict, string]>([
    ['none: no promise made', 'none', 'PASS', 'provided_until=none'],
    ['notice: no date promised', 'notice', 'PASS', 'provided_until=notice'],
    ['a date already passed: promise over', '2025-05-31', 'PASS', 'past provided_until'],
    ['a date still ahead: promise broken', '2026-05-31', 'FAIL', 'no current image'],
    ['missing', undefined, 'FAIL', 'provided_until is not set'],
    ['not a date', 'soon', 'FAIL', '"soon" is no date'],
  ])('%s', (_title, providedUntil, verdict, message) => {
    const finding = recency(outdated(providedUntil));
    expect(finding.verdict).toBe(verdict);
    expect(finding.message).toContain(message);
  });

  it('provided_until missing on an image that is not outdated does not matter to recency', () => {
    expect(recency(built('2025-06-10', 'monthly', { props: { provided_until: undefined } })).verdict).toBe('PASS');
  });
});

describe('recency: an outdated image with a current replacement (checkImages)', () => {
  const fresh = built('2025-06-01', 'monthly', { name: 'Ubuntu 24.04' });
  const old = (name: string, overrides: Overrides = {}): ImageSubject =>
    built('2025-01-01', 'monthly', { name, ...overrides });

  it('passes "Ubuntu 24.04 20250101" next to a current "Ubuntu 24.04", and fails it alone', () => {
    const dated = old('Ubuntu 24.04 20250101');
    expect(recencyAmong([dated, fresh], 'Ubuntu 24.04 20250101')).toBe('PASS');
    expect(recencyAmong([dated, fresh], 'Ubuntu 24.04')).toBe('PASS');
    expect(recencyAmong([dated], 'Ubuntu 24.04 20250101')).toBe('FAIL');
    // checkImage sees no other image, so cannot know of a replacement
    expect(recency(dated).verdict).toBe('FAIL');
  });

  it.each(['old', 'prev', '20250101', '2025-01-01', '2025111', '2025-1-5'])(
    'takes a last word "%s" as an old-image mark',
    (word) => {
      expect(recencyAmong([old(`Ubuntu 24.04 ${word}`), fresh], `Ubuntu 24.04 ${word}`)).toBe('PASS');
    },
  );

  it('warns when the replaced image is neither hidden nor named as old; passes it when hidden', () => {
    expect(recencyAmong([old('Ubuntu 24.04 legacy'), fresh], 'Ubuntu 24.04 legacy')).toBe('WARN');
    expect(recencyAmong([old('Ubuntu 24.04 (v1)'), fresh], 'Ubuntu 24.04 (v1)')).toBe('WARN');
    // OIM's form: strptime does not read a date in parentheses, so the official test warns
    expect(recencyAmong([old('Ubuntu 24.04 (20250101)'), fresh], 'Ubuntu 24.04 (20250101)')).toBe('WARN');
    expect(recencyAmong([old('Ubuntu 24.04 (2025-01-01)'), fresh], 'Ubuntu 24.04 (2025-01-01)')).toBe('WARN');
    expect(recencyAmong([old('Ubuntu 24.04 20250230'), fresh], 'Ubuntu 24.04 20250230')).toBe('WARN');
    expect(recencyAmong([old('Ubuntu 24.04 legacy', { os_hidden: true }), fresh], 'Ubuntu 24.04 legacy')).toBe('PASS');
  });

  it('does not count a replacement that is outdated itself', () => {
    const stale = built('2025-04-01', 'monthly', { name: 'Ubuntu 24.04' });
    expect(recencyAmong([old('Ubuntu 24.04 (20250101)'), stale], 'Ubuntu 24.04 (20250101)')).toBe('FAIL');
    expect(recencyAmong([old('Ubuntu 24.04 (20250101)'), stale], 'Ubuntu 24.04')).toBe('FAIL');
  });

  it('counts a replacement that is old but exempt (provided_until none)', () => {
    const exempt = built('2025-04-01', 'monthly', { name: 'Ubuntu 24.04', props: { provided_until: 'none' } });
    expect(recencyAmong([old('Ubuntu 24.04 20250101'), exempt], 'Ubuntu 24.04 20250101')).toBe('PASS');
  });

  it('finds the replacement only under the name less the last word', () => {
    const other = built('2025-06-01', 'monthly', { name: 'Ubuntu 24.04 minimal' });
    expect(recencyAmong([old('Ubuntu 24.04 (20250101)'), other], 'Ubuntu 24.04 (20250101)')).toBe('FAIL');
    expect(recencyAmong([old('Ubuntu (20250101)'), fresh], 'Ubuntu (20250101)')).toBe('FAIL');
  });

  it('fails an outdated one-word name, which no other name can replace', () => {
    const stale = built('2025-01-01', 'monthly', { name: 'cirros', id: 'old' });
    const current = built('2025-06-01', 'monthly', { name: 'cirros', id: 'new' });
    const result = checkImages([stale, current], V2);
    expect(verdictOf(result[0] ?? [], 'recency')).toBe('FAIL');
    expect(verdictOf(result[1] ?? [], 'recency')).toBe('PASS');
  });
});
