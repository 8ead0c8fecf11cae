import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { discoveryOutput, reportDiscovery, warnStale } from '../../../src/cli/commands/discovery-report.js';
import type { RunDefinitions } from '../../../src/upstream/for-run.js';
import { def, version } from '../plan/helpers.js';

function capture(): { log: pino.Logger; lines: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push((JSON.parse(String(chunk)) as { msg: string }).msg);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines: () => lines };
}

const now = Date.parse('2026-11-30T12:00:00Z');

describe('warnStale: definitions whose newest build is past scs-0102 replacement', () => {
  it('names a monthly image built more than 1.1 months ago, and says how to refresh it', () => {
    const { log, lines } = capture();
    const stale = def({
      name: 'Ubuntu 24.04',
      latest_url: 'https://x/current/a.img',
      latest_checksum_url: 'https://x/current/SHA256SUMS',
      meta: { replace_frequency: 'monthly' },
      versions: ['20260926'],
    });
    warnStale([stale], log, now);
    expect(lines()).toEqual([
      '[Ubuntu 24.04] version 20260926 is stale by scs-0102\'s recency rule (built 2026-09-26, replace_frequency=monthly, replacement due 2026-10-30): run "image-manager update" (or add --update)',
    ]);
  });

  it('is quiet about recent builds, images never replaced, and versions without a build date', () => {
    const { log, lines } = capture();
    warnStale(
      [
        def({ name: 'Fresh', meta: { replace_frequency: 'monthly' }, versions: ['20261120'] }),
        def({ name: 'Pinned', meta: { replace_frequency: 'never' }, versions: ['20200101'] }),
        def({ name: 'Undated', meta: { replace_frequency: 'weekly' }, versions: [version('1.0')] }),
      ],
      log,
      now,
    );
    expect(lines()).toEqual([]);
  });

  it('tells a definition without an upstream to define a newer version', () => {
    const { log, lines } = capture();
    warnStale([def({ name: 'Old', meta: { replace_frequency: 'weekly' }, versions: ['20261101'] })], log, now);
    expect(lines()).toEqual([expect.stringMatching(/^\[Old\] version 20261101 is stale .*: define a newer version$/)]);
  });
});

describe('reportDiscovery and discoveryOutput (--update)', () => {
  const held = def({ name: 'Ubuntu 24.04', versions: ['20261101', '20990101'] });
  const warning = 'images.yml: Ubuntu 24.04 holds 1 version dated after tomorrow (2026-12-01): 20990101 (line 10). …';
  const failed = def({ name: 'Failed', versions: ['20990101'] });
  const run: RunDefinitions = {
    definitions: [held, failed],
    discovered: [
      { definition: held, requests: 2, warning, decision: { kind: 'current', version: '20261101' } },
      {
        definition: failed,
        requests: 1,
        warning: 'images.yml: Failed holds …',
        error: 'https://x/: answered HTTP 404',
      },
    ],
    failures: [{ definition: 'Failed', message: 'https://x/: answered HTTP 404' }],
  };

  it('logs each warning and each failure once, whether the upstream answered or not', () => {
    const { log, lines } = capture();
    reportDiscovery(run, log);
    expect(lines()).toEqual([
      `[Ubuntu 24.04] ${warning}`,
      '[Ubuntu 24.04] up to date: the newest upstream build is version 20261101',
      '[Failed] images.yml: Failed holds …',
      '[Failed] upstream failed: https://x/: answered HTTP 404',
    ]);
  });

  it('carries the warning in the JSON document', () => {
    expect(discoveryOutput(run).upstream).toEqual([
      { definition: 'Ubuntu 24.04', status: 'current', warning },
      {
        definition: 'Failed',
        status: 'failed',
        error: 'https://x/: answered HTTP 404',
        warning: 'images.yml: Failed holds …',
      },
    ]);
  });
});
