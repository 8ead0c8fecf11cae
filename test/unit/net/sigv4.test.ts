import { describe, expect, it } from 'vitest';
import { amzDateOf, authorization, canonicalUri, EMPTY_SHA256, strictEncode } from '../../../src/net/sigv4.js';

// AWS's Signature Version 4 test suite, case get-vanilla (and get-vanilla-query-order-key-case).
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const base = { method: 'GET', payloadHash: EMPTY_SHA256, amzDate: '20150830T123600Z', service: 'service' };

describe('SigV4', () => {
  it('signs the suite’s get-vanilla request as AWS does', () => {
    const url = new URL('https://example.amazonaws.com/');
    const header = authorization({ ...base, url, headers: { 'x-amz-date': base.amzDate } }, credentials);
    expect(header).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('sorts the query as the suite’s get-vanilla-query-order-key-case does', () => {
    const url = new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1');
    const header = authorization({ ...base, url, headers: { 'x-amz-date': base.amzDate } }, credentials);
    expect(header).toContain('Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('encodes as RFC 3986 and dates as ISO basic', () => {
    expect(strictEncode("a b!'()*")).toBe('a%20b%21%27%28%29%2A');
    expect(amzDateOf(Date.UTC(2015, 7, 30, 12, 36))).toBe('20150830T123600Z');
  });

  it('canonicalises an S3 path as S3 decodes it, each segment encoded once; a malformed escape as written', () => {
    const uri = (path: string) => canonicalUri(new URL(`https://s3.example${path}`));
    expect(uri("/b/x(1)!'*.qcow2")).toBe('/b/x%281%29%21%27%2A.qcow2');
    expect(uri('/b/x%281%29%21%27%2A.qcow2')).toBe('/b/x%281%29%21%27%2A.qcow2');
    expect(uri('/b/sp ace/plus+/ü~')).toBe('/b/sp%20ace/plus%2B/%C3%BC~');
    expect(uri('/b/%zz')).toBe('/b/%25zz');
    expect(uri('')).toBe('/');
  });
});
