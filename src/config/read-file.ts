import { readFileSync } from 'node:fs';
import { readYamlTree } from '../yaml/tree.js';
import { ConfigError } from './errors.js';

/**
 * Reads and parses a clouds/secure file: JSON for `.json`, YAML otherwise, with PyYAML's rules as
 * openstacksdk reads it (`verify: no` is false). Parser messages are not passed on: they may quote the
 * offending source, which may hold a password. Only the position and a content-free reason are kept.
 */
export function readConfigFile(filePath: string): unknown {
  const text = readText(filePath);
  return filePath.endsWith('.json') ? parseJson(text, filePath) : parseYaml(text, filePath);
}

function readText(filePath: string): string {
  try {
    return readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(`Cannot read ${filePath} (${code})`);
  }
}

function parseYaml(text: string, filePath: string): unknown {
  const tree = readYamlTree(text);
  // PyYAML lets a repeated key win silently; in clouds.yaml that is a mistake (two clouds of one name).
  const problem = tree.errors[0] ?? tree.warnings.find((warning) => warning.code === 'DUPLICATE_KEY');
  if (!problem) return tree.value;
  const where = problem.line !== undefined ? ` at line ${problem.line}` : '';
  throw new ConfigError(`Invalid YAML in ${filePath}${where}: ${reasonOf(problem.code)}`);
}

function reasonOf(code: string | undefined): string {
  if (code === 'DUPLICATE_KEY') return 'duplicated mapping key';
  return code ? code.toLowerCase().replace(/_/g, ' ') : 'unreadable';
}

function parseJson(text: string, filePath: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ConfigError(`Invalid JSON in ${filePath}${describeJsonError(error.message, text)}`);
  }
}

/** " at line L, column C: reason" from V8's message, dropping any quoted source excerpt. */
function describeJsonError(message: string, text: string): string {
  const match = /^(.*) in JSON at position (\d+)/s.exec(message);
  if (!match) return '';
  const [, reason = '', position = '0'] = match;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const safeReason = reason.includes('"') ? '' : `: ${reason}`;
  return ` at line ${line}, column ${column}${safeReason}`;
}
