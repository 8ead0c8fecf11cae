import { describe, expect, it } from 'vitest';
import type { FetchLike, FetchResponse } from '../../../src/net/fetch.js';
import { findNewestBuild } from '../../../src/upstream/discover.js';
import { UpstreamHttp } from '../../../src/upstream/http.js';
import { FakeUpstream } from './fake-upstream.js';
import { failure } from './helpers.js';

// What an upstream answers is read strictly: each case below was taken before.

const ALMA = 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/';
const ALIAS = 'AlmaLinux-9-GenericCloud-latest.x86_64.qcow2';
const REAL = 'AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2';
const DIGEST = 'c'.repeat(64);
const alma = { latestUrl: `${ALMA}${ALIAS}`, latestChecksumUrl: `${ALMA}CHECKSUM` };

describe('what an upstream answers is read strictly', () => {
  it('a checksum file that is not UTF-8 is refused, not read with replacement characters', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${DIGEST}  ${REAL}\n${DIGEST}  ${ALIAS}\n${DIGEST}  AlmaLinux-9-GenericCloud-9.9-`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('.x86_64.qcow2\n'),
    ]);
    const fetch: FetchLike = async () => new Response(bytes) as unknown as FetchResponse;
    const error = await failure(findNewestBuild(alma, new UpstreamHttp(fetch)));
    expect(error.message).toBe(`${ALMA}CHECKSUM: answered text that is not UTF-8: not read`);
  });
});

describe('an error names the URL that failed, not the first of its redirects', () => {
  it('a redirect to a missing file names the missing file', async () => {
    const moved = 'https://mirror.example.org/moved/CHECKSUM';
    const fake = new FakeUpstream({ [`${ALMA}CHECKSUM`]: { status: 302, headers: { Location: moved } } });
    const error = await failure(findNewestBuild(alma, new UpstreamHttp(fake.fetch)));
    expect(error.url).toBe(moved);
    expect(error.message).toBe(`${moved}: answered HTTP 404 (redirected from ${ALMA}CHECKSUM)`);
  });
});
