import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_IMPORTING } from '../../../src/apply/executor.js';
import { DEFAULT_RETRY_BUDGET_MS } from '../../../src/openstack/retry.js';
import { DEFAULT_EOL_API, declareProgram } from '../../../src/cli/options.js';
import { DEFAULT_EOL_API as EOL_API } from '../../../src/upstream/end-of-life.js';
import { runMain } from './run-main.js';

const COMMANDS = ['info', 'status', 'check', 'update', 'eol'] as const;

/** The options only a run without a command takes. */
const MANAGE_ONLY = ['--hide', '--delete', '--latest', '--check-only', '--share-image', '--max-importing', '--no-wait'];

/** The flags a help text lists, each as it begins its line. */
function flagsIn(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1] as string);
}

async function helpOf(...args: string[]): Promise<string> {
  const result = await runMain(args);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('help, as a modern command line gives it', () => {
  it.each([
    ['info', ['--cloud', '--timeout', '--retry-budget', '--output', '--log-format', '--debug', '--help']],
    [
      'check',
      ['--scs-version', '--cloud', '--timeout', '--retry-budget', '--output', '--log-format', '--debug', '--help'],
    ],
    ['update', ['--images', '--filter', '--dry-run', '--parallel', '--timeout', '--output', '--log-format', '--debug']],
    [
      'eol',
      ['--images', '--filter', '--force', '--today', '--warn-days', '--eol-api', '--timeout', '--output', '--debug'],
    ],
    [
      'status',
      [
        '--images',
        '--filter',
        '--force',
        '--tag',
        '--outdated-names',
        '--cloud',
        '--timeout',
        '--retry-budget',
        '--output',
        '--debug',
      ],
    ],
  ])('%s --help lists its own options and none that only a run takes', async (command, own) => {
    const flags = flagsIn(await helpOf(command, '--help'));
    expect(flags).toEqual(expect.arrayContaining(own));
    for (const flag of MANAGE_ONLY) expect(flags).not.toContain(flag);
  });

  it('--help of the program lists every option of a run and every command', async () => {
    const help = await helpOf('--help');
    expect(flagsIn(help)).toEqual(expect.arrayContaining([...MANAGE_ONLY, '--cloud', '--all-clouds', '--filter']));
    for (const command of [...COMMANDS, 'help']) expect(help).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  it('`help` is --help, and `help COMMAND` is COMMAND --help', async () => {
    expect(await helpOf('help')).toBe(await helpOf('--help'));
    for (const command of COMMANDS) expect(await helpOf('help', command)).toBe(await helpOf(command, '--help'));
  });

  it('shows no default that says nothing, nor a default twice', async () => {
    const texts = await Promise.all([helpOf('--help'), ...COMMANDS.map((command) => helpOf(command, '--help'))]);
    for (const text of texts) {
      const oneLine = text.replace(/\s+/g, ' ');
      expect(oneLine).not.toMatch(/\(default\) \(default/);
      expect(oneLine).not.toMatch(/default: (false|true|\[\])/);
      expect(oneLine).not.toMatch(/\(default: [^)]*\) \(default/);
    }
    expect((await helpOf('--help')).replace(/\s+/g, ' ')).toContain('(default: $OS_CLOUD, else the OS_* environment');
  });

  it('answers an unknown command with exit 2 and the command meant', async () => {
    for (const args of [['chek'], ['help', 'chek'], ['--cloud', 'x', 'chek']]) {
      const result = await runMain(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown command 'chek'");
      expect(result.stderr).toMatch(/Did you mean check\?/);
      expect(result.stdout).toBe('');
    }
  });

  it('refuses an option a command does not take (exit 2), wherever it stands', async () => {
    for (const args of [
      ['check', '--dry-run'],
      ['--dry-run', 'check'],
    ]) {
      const result = await runMain(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("option '--dry-run' does not apply to check");
    }
    const negated = await runMain(['info', '--no-check']);
    expect(negated.code).toBe(2);
    expect(negated.stderr).toContain("option '--no-check' does not apply to info");
  });

  it('takes a shared option before the command as after it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-help-'));
    const clouds = path.join(dir, 'clouds.yaml');
    writeFileSync(clouds, 'clouds:\n  prod:\n    auth:\n      auth_url: http://keystone.invalid/v3\n');
    const env = { OS_CLIENT_CONFIG_FILE: clouds };
    for (const args of [
      ['--cloud', 'staging', 'check'],
      ['check', '--cloud', 'staging'],
      ['info', '--cloud', 'staging', '--timeout', '5'],
    ]) {
      const result = await runMain(args, { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('staging'); // the unknown cloud, named: --cloud reached the command
      expect(result.stderr).toContain('prod');
    }
  });

  it('prints the version', async () => {
    expect((await runMain(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("declares --eol-api's default as the end-of-life reader's", () => {
    expect(DEFAULT_EOL_API).toBe(EOL_API);
  });

  it("declares --max-importing's default as the executor's", () => {
    expect(declareProgram('0.0.0').parse(['node', 'image-manager']).opts().maxImporting).toBe(DEFAULT_MAX_IMPORTING);
  });

  it("declares --retry-budget's default as the HTTP client's, and takes 0 (never repeat)", () => {
    const parse = (...args: string[]) =>
      declareProgram('0.0.0')
        .parse(['node', 'image-manager', ...args])
        .opts();
    expect(parse().retryBudget * 1000).toBe(DEFAULT_RETRY_BUDGET_MS);
    expect(parse('--retry-budget', '0').retryBudget).toBe(0);
  });
});
