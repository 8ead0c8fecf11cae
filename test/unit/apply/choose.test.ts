import { describe, expect, it } from 'vitest';
import { chooseMethod, type MethodInputs, type PreviousAttempt } from '../../../src/apply/import/choose.js';

const BOTH = ['web-download', 'glance-direct'];
const HTTPS = 'https://images.example.org/ubuntu.qcow2';
const FILE = 'file:///srv/images/ubuntu.qcow2';
const XZ = 'https://github.com/siderolabs/talos/releases/download/v1.11.5/openstack-amd64.raw.xz';
const TAR_XZ = 'https://images.example.org/openstack-gardener_prod-amd64-1877.5.tar.xz';

const inputs: MethodInputs = { url: HTTPS, prefetch: 'never', verifyChecksum: false, offered: BOTH, stuckRetry: 0 };
const webDownloadFailed: PreviousAttempt = { method: 'web-download', ended: 'failed', attempts: 1 };

/** What the chooser answers: `method (as)`, or `none`. */
function chosen(overrides: Partial<MethodInputs>): string {
  const choice = chooseMethod({ ...inputs, ...overrides });
  return choice ? `${choice.method.name} (${choice.as})` : 'none';
}

describe('chooseMethod', () => {
  it.each<[string, Partial<MethodInputs>, string]>([
    // The first attempt
    ['an https source: Glance fetches it', {}, 'web-download (first)'],
    ['a file: source: only this tool reads it', { url: FILE }, 'glance-direct (first)'],
    ['--prefetch always', { prefetch: 'always' }, 'glance-direct (first)'],
    ['--prefetch on-stuck: Glance fetches it first', { prefetch: 'on-stuck' }, 'web-download (first)'],
    ['--verify-checksum: the data goes through the hash', { verifyChecksum: true }, 'glance-direct (first)'],
    ['Glance offers glance-direct only', { offered: ['glance-direct'] }, 'glance-direct (first)'],
    ['Glance offers web-download only', { offered: ['web-download'] }, 'web-download (first)'],
    ['Glance offers neither', { offered: [] }, 'none'],
    ['a file: source, Glance offers web-download only', { url: FILE, offered: ['web-download'] }, 'none'],
    ['--verify-checksum, Glance offers web-download only', { verifyChecksum: true, offered: ['web-download'] }, 'none'],
    // A packed source: Glance would store the compressed bytes, so only this tool imports it, whatever the flags
    ['a .raw.xz source, --prefetch never', { url: XZ }, 'glance-direct (first)'],
    ['a .raw.xz source, --prefetch on-stuck', { url: XZ, prefetch: 'on-stuck' }, 'glance-direct (first)'],
    ['a .tar.xz source', { url: TAR_XZ, prefetch: 'on-stuck' }, 'glance-direct (first)'],
    ['a .qcow2.bz2 source', { url: 'https://x.example/a.qcow2.bz2?mirror=1' }, 'glance-direct (first)'],
    ['a .raw.xz source, Glance offers web-download only', { url: XZ, offered: ['web-download'] }, 'none'],
    [
      'a .raw.xz source whose glance-direct failed: never web-download',
      {
        url: XZ,
        prefetch: 'on-stuck',
        stuckRetry: 2,
        previous: { method: 'glance-direct', ended: 'failed', attempts: 1 },
      },
      'none',
    ],
    [
      'a .raw.xz source an earlier run imported by an unknown method, stuck',
      { url: XZ, prefetch: 'on-stuck', previous: { ended: 'stuck', attempts: 1 } },
      'glance-direct (first)',
    ],
    // After a failed or stuck attempt
    ['web-download failed, a retry left', { stuckRetry: 1, previous: webDownloadFailed }, 'web-download (retry)'],
    [
      'web-download stuck twice, --stuck-retry 2',
      { stuckRetry: 2, previous: { ...webDownloadFailed, ended: 'stuck', attempts: 2 } },
      'web-download (retry)',
    ],
    ['web-download failed, no retry left, --prefetch never', { previous: webDownloadFailed }, 'none'],
    [
      'web-download failed, no retry left, --prefetch on-stuck',
      { prefetch: 'on-stuck', previous: webDownloadFailed },
      'glance-direct (fallback)',
    ],
    [
      'web-download stuck, no retry left, --prefetch on-stuck',
      { prefetch: 'on-stuck', previous: { ...webDownloadFailed, ended: 'stuck' } },
      'glance-direct (fallback)',
    ],
    [
      'web-download failed, --prefetch on-stuck, Glance offers no glance-direct',
      { prefetch: 'on-stuck', offered: ['web-download'], previous: webDownloadFailed },
      'none',
    ],
    [
      'web-download timed out: no retry, no fallback',
      { stuckRetry: 3, prefetch: 'on-stuck', previous: { ...webDownloadFailed, ended: 'timeout' } },
      'none',
    ],
    [
      'glance-direct failed: it is not tried again',
      { stuckRetry: 3, prefetch: 'on-stuck', previous: { method: 'glance-direct', ended: 'failed', attempts: 1 } },
      'none',
    ],
    // After an import an earlier run started (no method of this run)
    [
      "an earlier run's import failed, --prefetch always: streamed again",
      { prefetch: 'always', previous: { ended: 'failed', attempts: 1 } },
      'glance-direct (first)',
    ],
    ["an earlier run's import timed out", { prefetch: 'always', previous: { ended: 'timeout', attempts: 1 } }, 'none'],
  ])('%s', (_, overrides, expected) => {
    expect(chosen(overrides)).toBe(expected);
  });
});
