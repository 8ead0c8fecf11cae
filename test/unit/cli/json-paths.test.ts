import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedFormats } from '../../../src/cli/render/format.js';
import {
  cloudsFile,
  type FakeOpenStack,
  PASSWORD,
  startFakeOpenStack,
  TOKEN,
  WRONG_PASSWORD,
} from './fake-openstack.js';
import { runMain } from './run-main.js';

// Every path with --output json prints one JSON document on stdout; with --log-format json every line on
// stdout and stderr is one JSON object. Each test parses the streams as a program would.

const oimCatalogue = path.resolve(import.meta.dirname, '../../fixtures/oim/images');
const MEANING_2 = 'usage, cloud or definition error: nothing changed';

let fake: FakeOpenStack;
let clouds: string;
beforeAll(async () => {
  fake = await startFakeOpenStack();
  clouds = cloudsFile(fake, [{ name: 'good' }, { name: 'broken', password: WRONG_PASSWORD }]);
});
afterAll(() => fake.close());

const run = (args: string[]) => runMain(args, { env: { OS_CLIENT_CONFIG_FILE: clouds } });

function badDefinitions(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-bad-'));
  writeFileSync(path.join(dir, 'bad.yml'), 'images:\n  - name: X\n    format: qcow9\n');
  return dir;
}

/** stdout with --output json: exactly one document. */
function document(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** A stream with --log-format json: every line one JSON object. */
function jsonLines(text: string): Array<Record<string, unknown>> {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Both streams of a --log-format json run: stdout one JSON line (the document), stderr JSON lines. */
function machineRun(result: { stdout: string; stderr: string }) {
  const out = jsonLines(result.stdout);
  expect(out).toHaveLength(1);
  return { document: out[0] as Record<string, unknown>, logs: jsonLines(result.stderr) };
}

describe('--output json: one document on every path', () => {
  it('--check-only: the definitions counted and the selected ones named', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--filter', '^Cirros$', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(document(result.stdout)).toEqual({ checkOnly: true, valid: true, definitions: 29, selected: ['Cirros'] });
  });

  it('a bad definition file: the error with its exit code, meaning and issues', async () => {
    const result = await run(['--images', badDefinitions(), '--output', 'json']);
    expect(result.code).toBe(2);
    const { error } = document(result.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ exitCode: 2, meaning: MEANING_2, kind: 'definition' });
    expect(error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: expect.stringMatching(/bad\.yml$/) })]),
    );
  });

  it('a usage error commander finds (an unknown flag)', async () => {
    const result = await run(['--no-such-flag', '--output=json']);
    expect(result.code).toBe(2);
    expect(document(result.stdout)).toMatchObject({ error: { kind: 'usage', exitCode: 2, meaning: MEANING_2 } });
    expect(result.stderr).toMatch(/unknown option '--no-such-flag'\n\(run with --help for usage\)\n$/);
  });

  it.each([[['info']], [['check']], [['status', '--images', oimCatalogue]], [['--images', oimCatalogue]]])(
    'an unknown cloud, for the command line %j',
    async (command) => {
      const result = await run([...command, '--cloud', 'nope', '--output', 'json']);
      expect(result.code).toBe(2);
      const { error } = document(result.stdout) as { error: { kind: string; message: string } };
      expect(error.kind).toBe('config');
      expect(error.message).toMatch(/"nope".*good, broken/);
    },
  );

  it('update with a bad --filter regex', async () => {
    const result = await run(['update', '--images', oimCatalogue, '--filter', '(', '--output', 'json']);
    expect(result.code).toBe(2);
    expect(document(result.stdout)).toMatchObject({ error: { kind: 'definition', exitCode: 2 } });
  });

  it('a wrong password: authentication, and no secret anywhere', async () => {
    const result = await run(['info', '--cloud', 'broken', '--output', 'json']);
    expect(result.code).toBe(2);
    expect(document(result.stdout)).toMatchObject({ error: { kind: 'authentication', exitCode: 2 } });
    for (const secret of [PASSWORD, WRONG_PASSWORD, TOKEN]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('info and a dry run on a cloud that answers', async () => {
    const info = await run(['info', '--cloud', 'good', '--output', 'json']);
    expect(info.code).toBe(0);
    expect(document(info.stdout)).toMatchObject({ cloud: 'good' });
    const dryRun = await run([
      '--cloud',
      'good',
      '--dry-run',
      '--images',
      oimCatalogue,
      '--filter',
      '^Cirros$',
      '--output',
      'json',
    ]);
    expect(dryRun.code).toBe(0);
    expect(document(dryRun.stdout)).toMatchObject({ dryRun: true, plan: { actions: expect.any(Array) } });
  });
});

describe('--log-format json: every line on stdout and stderr is one JSON object', () => {
  it('--check-only: the log lines, and the document on one line', async () => {
    const result = await run(['--check-only', '--images', oimCatalogue, '--log-format', 'json']);
    expect(result.code).toBe(0);
    const { document: checked, logs } = machineRun(result);
    expect(checked).toMatchObject({ checkOnly: true, definitions: 29 });
    expect(logs.some((line) => /Loaded 29/.test(String(line.msg)))).toBe(true);
  });

  it('a bad definition file: the fatal error as a log line, with its issues', async () => {
    const result = await run(['--images', badDefinitions(), '--log-format', 'json']);
    expect(result.code).toBe(2);
    const { document: failed, logs } = machineRun(result);
    expect(failed).toMatchObject({ error: { kind: 'definition', exitCode: 2 } });
    expect(logs.at(-1)).toMatchObject({ level: 'fatal', kind: 'definition', exitCode: 2, meaning: MEANING_2 });
    expect(String(logs.at(-1)?.msg)).toMatch(/^Invalid image definitions/);
  });

  it('a usage error commander finds', async () => {
    const result = await run(['--log-format', 'json', '--parallel', '0']);
    expect(result.code).toBe(2);
    const { document: failed, logs } = machineRun(result);
    expect(failed).toMatchObject({ error: { kind: 'usage' } });
    expect(logs).toEqual([expect.objectContaining({ level: 'fatal', kind: 'usage' })]);
  });

  it('a wrong password', async () => {
    const result = await run([
      '--cloud',
      'broken',
      '--images',
      oimCatalogue,
      '--filter',
      '^Cirros$',
      '--log-format',
      'json',
    ]);
    expect(result.code).toBe(2);
    const { document: failed, logs } = machineRun(result);
    expect(failed).toMatchObject({ error: { kind: 'authentication' } });
    expect(logs.at(-1)).toMatchObject({ level: 'fatal', kind: 'authentication' });
    for (const secret of [PASSWORD, WRONG_PASSWORD, TOKEN]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('a dry run: the plan is the document on stdout, even with --output text', async () => {
    const args = ['--cloud', 'good', '--dry-run', '--images', oimCatalogue, '--filter', '^Cirros$'];
    const result = await run([...args, '--output', 'text', '--log-format', 'json']);
    expect(result.code).toBe(0);
    const { document: planned, logs } = machineRun(result);
    expect(planned).toMatchObject({ dryRun: true, plan: { actions: expect.any(Array) } });
    expect(logs.some((line) => /Dry run: \d+ actions? planned/.test(String(line.msg)))).toBe(true);
  });

  it('info', async () => {
    const result = await run(['info', '--cloud', 'good', '--log-format', 'json']);
    expect(result.code).toBe(0);
    expect(machineRun(result).document).toMatchObject({ cloud: 'good', project: expect.anything() });
  });
});

describe('requestedFormats', () => {
  it.each([
    [['--output', 'json'], { output: 'json', logFormat: 'text' }],
    [['--output=json', '--log-format=json'], { output: 'json', logFormat: 'json' }],
    [['--output', 'json', '--output', 'text'], { output: 'text', logFormat: 'text' }],
    [['--', '--output', 'json'], { output: 'text', logFormat: 'text' }],
    [['--log-format'], { output: 'text', logFormat: 'text' }],
  ])('reads %j as commander would', (args, expected) => {
    expect(requestedFormats(args)).toEqual(expected);
  });
});
