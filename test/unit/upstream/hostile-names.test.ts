import { describe, expect, it } from 'vitest';
import { findNewestBuild } from '../../../src/upstream/discover.js';
import { UpstreamHttp } from '../../../src/upstream/http.js';
import { FakeUpstream } from './fake-upstream.js';
import { failure } from './helpers.js';

// Names an upstream lists cannot steer what is pinned: each case below was taken before.

const ALMA = 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/';
const ALIAS = 'AlmaLinux-9-GenericCloud-latest.x86_64.qcow2';
const REAL = 'AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2';
const DIGEST = 'c'.repeat(64);
const alma = { latestUrl: `${ALMA}${ALIAS}`, latestChecksumUrl: `${ALMA}CHECKSUM` };

/** AlmaLinux's CHECKSUM with one more file of the alias's digest, named `twin`: natural order puts it last. */
function almaWithTwin(twin: string): FakeUpstream {
  return new FakeUpstream({
    [`${ALMA}CHECKSUM`]: [`${DIGEST}  ${REAL}`, `${DIGEST}  ${ALIAS}`, `${DIGEST}  ${twin}`, ''].join('\n'),
  });
}

describe('a name from a checksum file is taken only if it is a plain file name of the folder', () => {
  const twins: Array<[string, string]> = [
    ['a path out of the folder', 'AlmaLinux-9-GenericCloud-9.9-20260601/../../../../../evil.x86_64.qcow2'],
    ['a query', 'AlmaLinux-9-GenericCloud-9.9?-20260601.x86_64.qcow2'],
    ['a fragment', 'AlmaLinux-9-GenericCloud-9.9#-20260601.x86_64.qcow2'],
    ['a percent-encoded slash and dot-dot', 'AlmaLinux-9-GenericCloud-9.9%2F%2e%2e%2F%2e%2e%2Fevil.x86_64.qcow2'],
    ['a backslash', 'AlmaLinux-9-GenericCloud-9.9\\..\\..\\evil.x86_64.qcow2'],
    ['a scheme', 'AlmaLinux-9-GenericCloud-9.9:evil.x86_64.qcow2'],
    ['a zero-width space', 'AlmaLinux-9-GenericCloud-9.9\u200b-20260601.x86_64.qcow2'],
    ['a non-character', 'AlmaLinux-9-GenericCloud-9.9\ufffe-20260601.x86_64.qcow2'],
    ['more than 2 kB', `AlmaLinux-9-GenericCloud-9.9-${'9'.repeat(3000)}.x86_64.qcow2`],
  ];

  it.each(twins)('a -latest alias is never pinned to a twin whose name holds %s', async (_, twin) => {
    const build = await findNewestBuild(alma, new UpstreamHttp(almaWithTwin(twin).fetch));
    expect(build.url).toBe(`${ALMA}${REAL}`);
  });

  it.each(twins)('a placeholder never matches a name that holds %s', async (_, twin) => {
    const source = { ...alma, latestUrl: `${ALMA}AlmaLinux-9-GenericCloud-HEREBE.+DRAGONS.x86_64.qcow2` };
    const build = await findNewestBuild(source, new UpstreamHttp(almaWithTwin(twin).fetch));
    expect(build.url).toBe(`${ALMA}${REAL}`);
  });

  it('a URL longer than 2 kB is refused, naming it (cut) and its length', async () => {
    const file = `example-${'x'.repeat(2100)}.qcow2`;
    const source = { latestUrl: `${ALMA}${file}`, latestChecksumUrl: `${ALMA}${file}.sha256` };
    const fake = new FakeUpstream({ [source.latestChecksumUrl]: `${DIGEST}  ${file}\n` });
    const error = await failure(findNewestBuild(source, new UpstreamHttp(fake.fetch)));
    const url = source.latestUrl;
    expect(error.message).toBe(
      `${source.latestChecksumUrl}: offers ${url.slice(0, 160)}… (${url.length} bytes), which is longer than ` +
        '2048 bytes: not taken',
    );
  });
});
