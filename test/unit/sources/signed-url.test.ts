import { describe, expect, it } from 'vitest';
import { s3Presign, swiftTempUrl } from '../../../src/sources/signed-url.js';

describe('signed mirror URLs', () => {
  it("S3 presign: AWS's published SigV4 query-string example", () => {
    const signer = s3Presign({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1',
    });
    const signed = new URL(
      signer.sign('https://examplebucket.s3.amazonaws.com/test.txt', 86_400, Date.UTC(2013, 4, 24)),
    );
    expect(signed.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(signed.searchParams.get('X-Amz-Date')).toBe('20130524T000000Z');
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(signed.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('S3 presign: never more than the week SigV4 allows', () => {
    const signer = s3Presign({ accessKeyId: 'AK', secretAccessKey: 'SK', region: 'r' });
    const signed = new URL(signer.sign('http://127.0.0.1:9000/bucket/o.qcow2', 10 * 86_400, 0));
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('604800');
  });

  it('Swift TempURL: HMAC-SHA256 over GET, the expiry and the path (as Python hmac computes it)', () => {
    const url = 'https://swift.example/v1/AUTH_account/container/object';
    const signed = new URL(swiftTempUrl('mykey').sign(url, 85, 1_323_479_400_000));
    expect(signed.searchParams.get('temp_url_expires')).toBe('1323479485');
    expect(signed.searchParams.get('temp_url_sig')).toBe(
      '05cb4ea08a08f2fdaef35d0f344975370077835c23bdc9342099ecbf03bc0378',
    );
    expect(`${signed.origin}${signed.pathname}`).toBe(url);
  });
});
