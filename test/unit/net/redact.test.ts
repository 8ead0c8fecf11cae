import { describe, expect, it } from 'vitest';
import { Redactor, maskUserinfo } from '../../../src/net/redact.js';

describe('Redactor', () => {
  it('masks registered secrets in text, wherever and however often they appear', () => {
    const redactor = new Redactor();
    redactor.add('s3cret-value');
    expect(redactor.text('a s3cret-value b s3cret-value')).toBe('a *** b ***');
    expect(redactor.text('nothing here')).toBe('nothing here');
  });

  it('ignores empty and very short values that would mask innocent text', () => {
    const redactor = new Redactor();
    redactor.add(undefined);
    redactor.add('');
    redactor.add('abc');
    expect(redactor.text('abc abcd')).toBe('abc abcd');
  });

  it('masks secret keys at any depth and known secrets in strings, without touching the input', () => {
    const redactor = new Redactor();
    redactor.add('tok-abcdef');
    const input = {
      headers: { 'X-Auth-Token': 'anything', Accept: 'application/json' },
      auth: { identity: { password: { user: { name: 'alice', password: 'pw-1234' } } } },
      application_credential_secret: 'zzzz',
      list: ['see tok-abcdef', { token: 'nested' }],
      count: 3,
      empty: null,
    };
    const copy = JSON.parse(JSON.stringify(input));
    expect(redactor.value(input)).toEqual({
      headers: { 'X-Auth-Token': '***', Accept: 'application/json' },
      auth: { identity: { password: '***' } },
      application_credential_secret: '***',
      list: ['see ***', { token: '***' }],
      count: 3,
      empty: null,
    });
    expect(input).toEqual(copy);
  });

  it('masks a secret also in its URL-encoded form', () => {
    const redactor = new Redactor();
    redactor.add('p@ss word/+?&=');
    const url = `http://glance.test/v2/images?name=${encodeURIComponent('p@ss word/+?&=')}`;
    expect(redactor.text(url)).not.toContain(encodeURIComponent('p@ss word/+?&='));
    const query = new URLSearchParams({ name: 'p@ss word/+?&=' }).toString();
    expect(redactor.text(query)).toBe('name=***');
  });
});

describe('the user part of URLs', () => {
  it('maskUserinfo masks a password, and a lone user part (often a token), in any scheme case', () => {
    expect(maskUserinfo('https://reader:s3cret@mirror.example/x.qcow2')).toBe(
      'https://reader:***@mirror.example/x.qcow2',
    );
    expect(maskUserinfo('HTTPS://Reader:s3cret@mirror.example/')).toBe('HTTPS://Reader:***@mirror.example/');
    expect(maskUserinfo('https://ghp_t0ken@github.example/x')).toBe('https://***@github.example/x');
    expect(maskUserinfo('https://u:p@ss@host.example/x')).toBe('https://u:***@host.example/x');
    expect(maskUserinfo('https://host.example/a@b/x?mail=a@b')).toBe('https://host.example/a@b/x?mail=a@b');
  });

  it('Redactor.text masks it in every URL of a text, and leaves JSON around it intact', () => {
    const redactor = new Redactor();
    expect(redactor.text('GET http://u:s3cret@h.example/x failed: from http://u:s3cret@h.example/x')).toBe(
      'GET http://u:***@h.example/x failed: from http://u:***@h.example/x',
    );
    const json = JSON.stringify({ url: 'http://host.example', mail: 'a@b.example', src: 'ftp://t0k@f.example/' });
    expect(JSON.parse(redactor.text(json))).toEqual({
      url: 'http://host.example',
      mail: 'a@b.example',
      src: 'ftp://***@f.example/',
    });
    expect(redactor.value({ msg: 'see https://x:y-s3cret@h.example/' })).toEqual({
      msg: 'see https://x:***@h.example/',
    });
  });
});

describe('signed URLs', () => {
  it('masks a TempURL or presigned signature and session token wherever a URL appears, the rest kept', () => {
    const redactor = new Redactor();
    const swift = 'https://swift.example/v1/AUTH_p/c/o.qcow2?temp_url_sig=0123abcdef&temp_url_expires=1700000000';
    const s3 =
      'http://127.0.0.1:9000/b/o.qcow2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=tok%2Fen' +
      '&X-Amz-Signature=aeeed9bb';
    expect(redactor.text(`Importing from URL ${swift}: 200`)).toBe(
      'Importing from URL https://swift.example/v1/AUTH_p/c/o.qcow2?temp_url_sig=***&temp_url_expires=1700000000: 200',
    );
    expect(redactor.text(`"uri":"${s3}"`)).toBe(
      '"uri":"http://127.0.0.1:9000/b/o.qcow2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=***' +
        '&X-Amz-Signature=***"',
    );
    expect(redactor.value({ error: `GET ${s3} failed` })).toEqual({
      error: expect.not.stringMatching(/aeeed9bb|tok%2Fen/),
    });
  });
});
