import { describe, expect, it } from 'vitest';
import { type ApplyLimits, applyPlan } from '../../../src/apply/executor.js';
import { Importer, type ImportSettings } from '../../../src/apply/importer.js';
import type { ApplyObserver } from '../../../src/apply/observer.js';
import type { Action } from '../../../src/plan/types.js';
import { SourceReader } from '../../../src/sources/source.js';
import {
  bytesOf,
  desired,
  digest,
  type Harness,
  harness,
  importOf,
  PROJECT,
  SOURCES,
  TAG,
} from '../apply/fake-cloud.js';
import { testFetch, useMsw } from '../openstack/helpers.js';

const { server } = useMsw();

/** The executor's events, as `seq kind detail` lines. */
function recorder() {
  const events: string[] = [];
  const observer: ApplyObserver = {
    actionStarted: (action) => events.push(`${action.seq} started`),
    phase: (action, phase, detail) => events.push(`${action.seq} ${phase}${detail ? ` (${detail})` : ''}`),
    bytes: (action, sent, total) => events.push(`${action.seq} bytes ${sent}/${total}`),
    actionEnded: (action, result) => events.push(`${action.seq} ended ${result.status}`),
  };
  return { events, observer };
}

/** The harness's run, with an observer: the same importer settings, fake time. */
function runWith(
  h: Harness,
  actions: Action[],
  observer: ApplyObserver,
  settings: Partial<ImportSettings> = {},
  limits: ApplyLimits = { parallel: 2 },
) {
  const importer = new Importer(
    {
      glance: h.glance,
      sources: new SourceReader(testFetch),
      log: h.log,
      sleep: (ms) => h.clock.pass(ms),
      now: () => h.clock.now(),
    },
    {
      tag: TAG,
      wait: true,
      importTimeoutMs: 3_600_000,
      stuckRetry: 0,
      prefetch: 'never',
      methods: ['web-download', 'glance-direct'],
      projectId: PROJECT,
      ...settings,
    },
  );
  const now = () => h.clock.now();
  return applyPlan(
    { actions, notes: [], definitions: [] },
    { glance: h.glance, importer, log: h.log, observer, now },
    limits,
  );
}

describe('what the executor tells an observer', () => {
  it('a web-download import: started, creating, downloading by Glance with its status, active, ended; a duration', async () => {
    const h = harness(server);
    const want = desired('Ubuntu 24.04', '20250101');
    h.cloud.sources.set(`${SOURCES}/20250101.qcow2`, bytesOf('image'));
    h.cloud.webDownload = () => ({ ms: 3000 });
    const { events, observer } = recorder();

    const report = await runWith(h, [importOf(1, want)], observer);

    expect(report.results[0]?.status).toBe('done');
    expect(report.results[0]?.durationMs).toBeGreaterThanOrEqual(3000);
    expect(events[0]).toBe('1 started');
    expect(events[1]).toBe('1 creating');
    expect(events).toContain('1 downloading (by Glance)');
    expect(events).toContain('1 downloading (Glance: importing)');
    expect(events.at(-2)).toBe('1 active');
    expect(events.at(-1)).toBe('1 ended done');
    expect(events.some((event) => event.includes('bytes'))).toBe(false);
  });

  it('a glance-direct import: uploading with the bytes sent and the total, then importing', async () => {
    const h = harness(server);
    const want = desired('Debian 12', '20250115');
    const data = bytesOf('x'.repeat(5000));
    h.cloud.sources.set(`${SOURCES}/20250115.qcow2`, data);
    const { events, observer } = recorder();

    const report = await runWith(h, [importOf(1, want, { checksum: digest('sha512', data) })], observer, {
      prefetch: 'always',
    });

    expect(report.results[0]?.status).toBe('done');
    const uploading = events.indexOf('1 uploading');
    const importing = events.indexOf('1 importing');
    expect(uploading).toBeGreaterThan(0);
    expect(importing).toBeGreaterThan(uploading);
    const counts = events.slice(uploading, importing).filter((event) => event.includes('bytes'));
    expect(counts[0]).toBe(`1 bytes 0/${data.length}`);
    expect(counts.at(-1)).toBe(`1 bytes ${data.length}/${data.length}`);
  });

  it('a failed import ends failed; what waited for it is told it ended skipped, without starting', async () => {
    const h = harness(server);
    const want = desired('Rocky 9', '20250201');
    const { events, observer } = recorder();
    const rename = { ...importOf(2, desired('Rocky 9', '20250202')), after: [1] };

    const report = await runWith(h, [importOf(1, want, { url: `${SOURCES}/missing.qcow2` }), rename], observer);

    expect(report.results.map((result) => result.status)).toEqual(['failed', 'skipped']);
    expect(report.results[1]?.durationMs).toBeUndefined();
    expect(events).toEqual(['1 started', '1 creating', '1 ended failed', '2 ended skipped']);
  });

  it('an import waits for a slot only when the slots are taken (--max-importing 1: the second waits)', async () => {
    const h = harness(server);
    const first = desired('Alma 9', '1');
    const second = desired('Alma 9', '2');
    h.cloud.sources.set(`${SOURCES}/1.qcow2`, bytesOf('one'));
    h.cloud.sources.set(`${SOURCES}/2.qcow2`, bytesOf('two'));
    const { events, observer } = recorder();

    const report = await runWith(
      h,
      [importOf(1, first), importOf(2, second)],
      observer,
      {},
      {
        parallel: 1,
        maxImporting: 1,
      },
    );

    expect(report.counts.done).toBe(2);
    const waits = events.filter((event) => event.includes('import slot'));
    expect(waits).toEqual(['2 waiting (for an import slot (--max-importing))']);
  });
});
