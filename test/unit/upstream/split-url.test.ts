import { describe, expect, it } from 'vitest';
import { splitUrl } from '../../../src/upstream/split-url.js';
import { REAL } from './fake-upstream.js';

describe('splitUrl', () => {
  it('keeps the backslashes of a placeholder', () => {
    expect(splitUrl(REAL.stream9!.latestUrl)).toEqual({
      dir: 'https://cloud.centos.org/centos/9-stream/x86_64/images',
      file: String.raw`CentOS-Stream-GenericCloud-9-HEREBE\d+\.\dDRAGONS.x86_64.qcow2`,
    });
  });
});
