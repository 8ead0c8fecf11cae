import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { ADMIN_PASSWORD_OF_STACK, cloudsWithBrokenCopy, WRONG_PASSWORD } from './clouds-copy.js';
import { type CliResult, e2e, glanceFor, makeQcow2, managedImages, runCli } from './harness.js';

// The machine-readable paths against the real stack: with --output json stdout is one JSON document, errors
// included; with --log-format json every line on stdout and stderr is one JSON object.

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const MEANING_2 = 'usage, cloud or definition error: nothing changed';

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

const file = makeQcow2(1);
const images = writeCatalogue([
  definition({
    name: `E2E Json ${suffix}`,
    multi: false,
    versions: [{ version: '1.0', url: file.url, checksum: `sha512:${file.sha512}`, build_date: '2025-01-01' }],
  }),
]);
const broken = 'devstack-broken';
const brokenEnv = { OS_CLIENT_CONFIG_FILE: cloudsWithBrokenCopy(broken) };
const manage = (flags: string[], env = {}) =>
  runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, ...flags], env);

function badCatalogue(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-e2e-bad-'));
  writeFileSync(path.join(dir, 'bad.yml'), 'images:\n  - name: Broken\n    format: qcow2\n    min_disk: many\n');
  return dir;
}

function lines(text: string): Array<Record<string, unknown>> {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** --log-format json: stdout one JSON line (the document), stderr JSON lines; nothing else. */
function machine(result: CliResult) {
  const out = lines(result.stdout);
  expect(out).toHaveLength(1);
  return { document: out[0] as Record<string, unknown>, logs: lines(result.stderr) };
}

function noSecret(result: CliResult): void {
  for (const secret of [WRONG_PASSWORD, ADMIN_PASSWORD_OF_STACK]) {
    expect(result.stdout + result.stderr).not.toContain(secret);
  }
}

describe('errors, as JSON', () => {
  it('a wrong password: {"error"} with exit 2 and its meaning; a fatal JSON log line; no secret', () => {
    const text = runCli(['--cloud', broken, '--images', images, '--output', 'json'], brokenEnv);
    expect(text.status).toBe(2);
    expect(JSON.parse(text.stdout)).toMatchObject({
      error: { exitCode: 2, meaning: MEANING_2, kind: 'authentication', message: expect.stringContaining(broken) },
    });
    const json = runCli(['--cloud', broken, '--images', images, '--log-format', 'json'], brokenEnv);
    expect(json.status).toBe(2);
    const { document, logs } = machine(json);
    expect(document).toMatchObject({ error: { kind: 'authentication' } });
    expect(logs.at(-1)).toMatchObject({ level: 'fatal', exitCode: 2, kind: 'authentication' });
    noSecret(text);
    noSecret(json);
  });

  it('an unknown cloud names the clouds there', () => {
    const result = runCli(['info', '--cloud', 'nowhere', '--output', 'json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { kind: 'config', message: expect.stringContaining(e2e.adminCloud) },
    });
  });

  it('a bad definition file: the issues, file and line, before the cloud is asked', () => {
    const result = runCli(['--cloud', e2e.adminCloud, '--images', badCatalogue(), '--log-format', 'json']);
    expect(result.status).toBe(2);
    const { document, logs } = machine(result);
    const error = (document as { error: { kind: string; issues: Array<{ file: string; line?: number }> } }).error;
    expect(error.kind).toBe('definition');
    expect(error.issues[0]).toMatchObject({ file: expect.stringMatching(/bad\.yml$/), line: expect.any(Number) });
    expect(logs.some((line) => /Found \d+ managed images/.test(String(line.msg)))).toBe(false);
  });
});

describe('success, as JSON', () => {
  it('--check-only', () => {
    const result = runCli(['--check-only', '--images', images, '--output', 'json']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      checkOnly: true,
      valid: true,
      definitions: 1,
      selected: [`E2E Json ${suffix}`],
    });
  });

  it('a dry run, then a real run, then info: one JSON line on stdout, JSON lines on stderr', () => {
    const dryRun = machine(manage(['--dry-run', '--log-format', 'json']));
    expect(dryRun.document).toMatchObject({
      dryRun: true,
      plan: { actions: [expect.objectContaining({ kind: 'import' })] },
    });

    const real = manage(['--log-format', 'json']);
    expect(real.status, real.stderr).toBe(0);
    const run = machine(real);
    expect(run.document).toMatchObject({ dryRun: false, report: { counts: { done: 1, failed: 0 } } });
    expect(run.logs.some((line) => line.level === 'info' && /1 action/.test(String(line.msg)))).toBe(true);

    const again = JSON.parse(manage(['--dry-run', '--output', 'json']).stdout) as { plan: { actions: unknown[] } };
    expect(again.plan.actions).toEqual([]);

    const info = machine(runCli(['info', '--cloud', e2e.adminCloud, '--log-format', 'json']));
    expect(info.document).toMatchObject({ cloud: e2e.adminCloud });
  });
});
