import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../../src/config/types.js';
import { AuthError, ConnectionError, HttpError } from '../../../src/openstack/errors.js';
import { GlanceClient } from '../../../src/openstack/image.js';
import { Session } from '../../../src/openstack/identity.js';
import { until } from '../net/fake-clock.js';
import { GLANCE, KEYSTONE, keystoneTokens, makeCloud, makeHttp, passwordAuth, useMsw } from './helpers.js';

const { server, seen } = useMsw();

const PASSWORD = 'hunter2-correct-horse';
const APP_SECRET = 'appcred-s3cr3t-value-0123456789';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show: message, own fields, and its JSON form. */
function exposed(error: Error): string {
  return [error.message, String(error), JSON.stringify(error), JSON.stringify({ ...error })].join('\n');
}

describe('secrets never reach errors or the log', () => {
  function sessionFor(auth: AuthConfig) {
    const t = makeHttp({ retryBudgetMs: 200 });
    const session = new Session(t.http, makeCloud(auth));
    return { ...t, session, glance: new GlanceClient(session) };
  }

  it('password: Keystone echoing it in a 401 body', async () => {
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () =>
        HttpResponse.json(
          { error: { code: 401, message: `Invalid password ${PASSWORD} for user alice`, title: 'Unauthorized' } },
          { status: 401 },
        ),
      ),
    );
    const { session, dumpLog, calls } = sessionFor(passwordAuth({ password: PASSWORD }));
    const error = await rejection(session.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('Invalid password *** for user alice');
    expect(exposed(error)).not.toContain(PASSWORD);
    expect(calls.length).toBeGreaterThan(0);
    expect(dumpLog()).not.toContain(PASSWORD);
  });

  it('password: in a URL and echoed in an HTML error page, also a long page clipped across it', async () => {
    // The secret starts a few characters before the 500-character clip of the message.
    const padding = 'y'.repeat(480);
    const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    server.use(
      keystoneTokens().handler,
      http.get(`${GLANCE}/v2/images`, ({ request }) => {
        const name = new URL(request.url).searchParams.get('name');
        return new HttpResponse(
          `<html><body><h1>400 Bad Request</h1>${padding} Invalid name ${escapeHtml(name ?? '')}: too   many\n spaces</body></html>`,
          { status: 400, headers: { 'Content-Type': 'text/html' } },
        );
      }),
    );
    const password = 'pass  word<&>';
    const { glance, dumpLog } = sessionFor(passwordAuth({ password }));
    const error = await rejection(glance.listImages({ name: password }));
    expect(error).toBeInstanceOf(HttpError);
    const text = exposed(error);
    expect(text).not.toContain(password);
    expect(text).not.toContain(encodeURIComponent(password));
    expect(text).not.toContain(new URLSearchParams({ p: password }).toString().slice(2));
    // Neither a whitespace-collapsed nor a clipped copy of the secret.
    expect(text).not.toContain('pass word');
    expect(text).not.toMatch(/Invalid name pass/);
    const log = dumpLog();
    expect(log).not.toContain(encodeURIComponent(password));
    expect(log).not.toContain(new URLSearchParams({ p: password }).toString().slice(2));
  });

  it('token: X-Subject-Token value echoed by Glance and present in a URL', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images/:id`, ({ request }) =>
        HttpResponse.json(
          {
            message: `Token ${request.headers.get('x-auth-token')} is not allowed here`,
            code: '403 Forbidden',
            title: 'Forbidden',
          },
          { status: 403 },
        ),
      ),
    );
    const { glance, session, dumpLog } = sessionFor(passwordAuth());
    const token = (await session.currentToken()).value;
    expect(fake.issued).toEqual([token]);
    const error = await rejection(glance.getImage(`x-${token}`));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).serviceMessage).toBe('Token *** is not allowed here');
    expect(exposed(error)).not.toContain(token);
    expect(dumpLog()).not.toContain(token);
  });

  it('token auth: the configured token echoed by Keystone', async () => {
    const configured = 'gAAAAABconfiguredtoken0123456789';
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, async ({ request }) => {
        const body = (await request.json()) as { auth: { identity: { token: { id: string } } } };
        return HttpResponse.json(
          {
            error: { code: 404, message: `Could not find token: ${body.auth.identity.token.id}.`, title: 'Not Found' },
          },
          { status: 404 },
        );
      }),
    );
    const { session, dumpLog } = sessionFor({ type: 'token', authUrl: `${KEYSTONE}/v3`, token: configured, scope: {} });
    const error = await rejection(session.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('Could not find token: ***.');
    expect(exposed(error)).not.toContain(configured);
    expect(dumpLog()).not.toContain(configured);
  });

  it('application credential secret: echoed by Keystone, in a URL of a failed connection and a timeout', async () => {
    server.use(
      http.post(
        `${KEYSTONE}/v3/auth/tokens`,
        () =>
          new HttpResponse(`<html><body><h1>401 Unauthorized</h1>bad secret ${APP_SECRET}</body></html>`, {
            status: 401,
            headers: { 'Content-Type': 'text/html' },
          }),
      ),
      http.get(`${GLANCE}/down/:x`, () => HttpResponse.error()),
      http.get(`${GLANCE}/slow/:x`, () => new Promise<never>(() => undefined)),
    );
    const auth: AuthConfig = {
      type: 'v3applicationcredential',
      authUrl: `${KEYSTONE}/v3`,
      applicationCredentialId: 'ac-id-1',
      applicationCredentialSecret: APP_SECRET,
    };
    const { session, http: client, clock, dumpLog } = sessionFor(auth);
    const authError = await rejection(session.currentToken());
    expect(authError).toBeInstanceOf(AuthError);
    expect(authError.message).toContain('bad secret ***');
    expect(exposed(authError)).not.toContain(APP_SECRET);

    const down = await rejection(client.request({ method: 'GET', url: `${GLANCE}/down/${APP_SECRET}` }));
    expect(down).toBeInstanceOf(ConnectionError);
    expect(exposed(down)).not.toContain(APP_SECRET);
    expect((down as ConnectionError).url).toBe(`${GLANCE}/down/***`);

    const asking = rejection(client.request({ method: 'GET', url: `${GLANCE}/slow/${APP_SECRET}`, timeoutMs: 30 }));
    const slowSeen = () => seen.filter((request) => request.url.includes('/slow/')).length;
    for (const attempt of [1, 2]) {
      await until(() => slowSeen() === attempt);
      clock.advance(30);
    }
    const slow = await asking;
    expect((slow as ConnectionError).timedOut).toBe(true);
    expect(exposed(slow)).not.toContain(APP_SECRET);

    expect(dumpLog()).not.toContain(APP_SECRET);
  });
});
