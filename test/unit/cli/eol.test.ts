import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, until } from '../net/fake-clock.js';
import { answerText } from '../eol/helpers.js';
import { errorDocument } from './json-shapes.js';
import { runMain } from './run-main.js';

// `image-manager eol` against endoflife.date's answers served by a real HTTP server on 127.0.0.1: the
// fixtures (test/fixtures/endoflife/), and hostile answers.

const IMAGES = path.resolve(import.meta.dirname, '../../../images');
const TODAY = '2026-12-07';

interface Fake {
  base: string;
  asked: string[];
  stalled: number;
}

function serve(): Promise<{ server: Server; fake: Fake }> {
  const fake: Fake = { base: '', asked: [], stalled: 0 };
  const server = createServer((request, response) => {
    fake.asked.push(`${request.method} ${request.url}`);
    const [, kind, product] = /^\/([\w-]+)\/([\w-]+?)(?:\.json|\/)$/.exec(request.url ?? '') ?? [];
    const send = (body: string | Buffer, status = 200) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    };
    if (kind === 'v0' || kind === 'v1') {
      try {
        send(answerText(`${kind}/${product}.json`));
      } catch {
        send('{"message": "Product not found"}', 404);
      }
    } else if (kind === 'moved') response.writeHead(301, { location: `/v0/${product}.json` }).end();
    else if (kind === 'broken') send('[{"cycle": "24.04", "eol": ');
    else if (kind === 'html') send('<html><body>endoflife.date</body></html>');
    else if (kind === 'shape') send('{"result": {"name": "ubuntu"}}');
    else if (kind === 'huge') send(Buffer.alloc(1024 * 1024 + 1, 0x20));
    else if (kind === 'latin1') send(Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]));
    else if (kind === 'error') send('oops', 500);
    else if (kind === 'stall') fake.stalled++;
    else if (kind === 'hostile')
      send(JSON.stringify([{ cycle: '99\u001b[2J', releaseDate: '2026-01-01', eol: false }]));
    else send('not found', 404);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      fake.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ server, fake });
    }),
  );
}

let server: Server;
let fake: Fake;
beforeAll(async () => {
  ({ server, fake } = await serve());
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const api = (kind: string) => `${fake.base}/${kind}/{product}.json`;

function eol(...args: string[]) {
  return runMain(['eol', '--images', IMAGES, '--today', TODAY, ...args]);
}

describe('image-manager eol over the shipped catalogue', () => {
  it('lists what is past, near, supported or unknown, and the releases not defined; exit 1 on a new release', async () => {
    const result = await eol('--eol-api', api('v0'));
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'FINDINGS on 2026-12-07: 0 definitions past the end of life, 4 new releases not defined',
      '0 near it (within 90 days), 8 supported, 5 unknown; 3 older supported not defined',
    ]);
    expect(lines).toContain(
      'Debian 12                debian         12     supported  2028-06-30   571  extendedSupport',
    );
    expect(lines).toContain('  unknown Cirros: endoflife.date has no product this tool maps os_distro cirros to');
    expect(lines.filter((line) => /^ubuntu +26\.04 +2026-04-23 +2031-04-30 +new$/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /^almalinux +8 .* older$/.test(line))).toHaveLength(1);
    expect(result.stderr).toMatch(/Read 7 products from endoflife\.date: ubuntu \(44 cycles\), debian \(18 cycles\)/);
  });

  it('asks each product once, GET only; openSUSE too, whose only definition is disabled', async () => {
    fake.asked.length = 0;
    await eol('--eol-api', api('v0'), '--filter', 'openSUSE|Rocky', '--output', 'json');
    expect(fake.asked.sort()).toEqual(['GET /v0/opensuse.json', 'GET /v0/rocky-linux.json']);
  });

  it('--output json: the document, every definition with its state and why', async () => {
    const result = await eol('--eol-api', api('v0'), '--output', 'json');
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ today: TODAY, warnDays: 90, api: api('v0'), findings: 4 });
    expect(document.definitions).toContainEqual({
      definition: 'Ubuntu 22.04',
      file: path.join(IMAGES, 'ubuntu.yml'),
      enabled: true,
      versions: ['20261004'],
      product: 'ubuntu',
      cycle: '22.04',
      state: 'supported',
      endOfLife: '2027-04-01',
      judgedOn: 'eol',
      daysLeft: 115,
      why: 'Ubuntu 22.04 (eol) ends on 2027-04-01, in 115 days',
    });
    expect(document.notDefined.filter((release: { newer: boolean }) => release.newer)).toHaveLength(4);
    expect(document.products).toContainEqual({ product: 'debian', url: `${fake.base}/v0/debian.json`, cycles: 18 });
  });

  it('API v1 gives the same judgement as v0', async () => {
    const read = async (kind: string) => {
      const result = await eol(
        '--eol-api',
        `${fake.base}/${kind}/{product}/`,
        '--filter',
        'Ubuntu|Debian',
        '--output',
        'json',
      );
      expect(result.code, result.stderr).toBe(1);
      const { definitions, notDefined } = JSON.parse(result.stdout);
      return { definitions, notDefined };
    };
    expect(await read('v1')).toEqual(await read('v0'));
  });

  it('exit 0 with nothing to act on; exit 1 once a definition is past its end of life', async () => {
    const clean = await eol('--eol-api', api('v0'), '--filter', 'Debian');
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/^OK on 2026-12-07: 0 definitions past the end of life, 0 new releases not defined\n/);
    const later = await eol('--eol-api', api('v0'), '--filter', 'Debian', '--today', '2028-06-30'); // the last --today wins
    expect(later.code).toBe(1);
    expect(later.stdout).toContain('  past Debian 12: Debian 12 (extendedSupport) ended on 2028-06-30');
  });

  it('--warn-days: an end within it is near, reported, not a finding', async () => {
    const result = await eol('--eol-api', api('v0'), '--filter', 'Ubuntu 22', '--warn-days', '120');
    expect(result.code).toBe(1); // Ubuntu 26.04 is new
    expect(result.stdout).toContain('  near Ubuntu 22.04: Ubuntu 22.04 (eol) ends on 2027-04-01, in 115 days');
  });

  it('follows a redirect', async () => {
    const result = await eol('--eol-api', api('moved'), '--filter', 'Debian');
    expect(result.code, result.stderr).toBe(0);
  });

  it('escapes what the API says before it reaches the terminal', async () => {
    const result = await eol('--eol-api', api('hostile'), '--filter', 'Fedora');
    expect(result.stdout).toContain('99\\u001b[2J');
    expect(result.stdout).not.toContain('\u001b');
  });
});

describe('--force', () => {
  it("judges the disabled definitions too: OIM's seven retired Ubuntu releases", async () => {
    const oim = path.resolve(import.meta.dirname, '../../fixtures/oim/images/ubuntu.yml');
    const past = async (...args: string[]) => {
      const result = await runMain(['eol', '--images', oim, '--today', TODAY, '--eol-api', api('v0'), ...args]);
      const document = JSON.parse(result.stdout);
      return document.definitions.filter((entry: { state: string }) => entry.state === 'past').length;
    };
    expect(await past('--output', 'json')).toBe(0);
    expect(await past('--output', 'json', '--force')).toBe(7);
  });
});

describe('an API that cannot be read, or answers something else, stops the report: exit 2 naming the URL', () => {
  it.each([
    ['error', 'answered HTTP 500'],
    ['nothing', 'answered HTTP 404'],
    ['broken', 'answered text that is not JSON'],
    ['html', 'answered text that is not JSON'],
    [
      'shape',
      "not endoflife.date's answer, a product document (API v1): Invalid input: expected array, received undefined at result.releases",
    ],
    ['huge', "answered more than 1048576 bytes: not an endoflife.date product's answer"],
    ['latin1', 'answered text that is not UTF-8: not read'],
  ])('%s', async (kind, problem) => {
    const result = await eol('--eol-api', api(kind), '--filter', 'Debian', '--output', 'json');
    expect(result.code).toBe(2);
    const { error } = errorDocument.parse(JSON.parse(result.stdout));
    expect(error).toMatchObject({
      kind: 'upstream',
      exitCode: 2,
      message: `${fake.base}/${kind}/debian.json: ${problem}`,
    });
    expect(result.stderr).toContain(`image-manager: ${fake.base}/${kind}/debian.json: ${problem}`);
  });

  it('an API that does not answer: refused connection, and no answer within --timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const refused = await eol('--eol-api', `http://127.0.0.1:${port}/{product}.json`, '--filter', 'Debian');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`http://127.0.0.1:${port}/debian.json: cannot be reached (ECONNREFUSED)`);

    const clock = new FakeClock();
    const before = fake.stalled;
    const stalled = runMain(
      ['eol', '--images', IMAGES, '--today', TODAY, '--eol-api', api('stall'), '--filter', 'Debian', '--timeout', '5'],
      { clock },
    );
    await until(() => fake.stalled > before);
    clock.advance(5000);
    const result = await stalled;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${fake.base}/stall/debian.json: no answer within 5 s`);
  });
});

describe('usage errors: exit 2 before anything is asked', () => {
  it.each([
    [['--today', '2026-02-30'], 'expected a real day written YYYY-MM-DD, got "2026-02-30"'],
    [['--today', 'tomorrow'], 'expected a real day written YYYY-MM-DD'],
    [['--eol-api', 'https://endoflife.date/api/ubuntu.json'], 'expected an http(s) URL with {product} in it'],
    [['--eol-api', 'file:///tmp/{product}.json'], 'expected an http(s) URL with {product} in it'],
    [['--warn-days', '-1'], 'expected a whole number of at least 0'],
    [['--filter', 'Nothing such'], '--filter "Nothing such" selects nothing'],
    [['--dry-run'], "option '--dry-run' does not apply to eol"],
  ])('%j', async (args, message) => {
    fake.asked.length = 0;
    const result = await eol('--eol-api', api('v0'), ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(fake.asked).toEqual([]);
  });
});
