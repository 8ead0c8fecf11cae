import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionError } from './errors.js';
import { issueAt } from './issues.js';
import { digestOf } from './replace-file.js';
import { fileErrorReason } from '../util/fs.js';
import type { DefinitionIssue, ImageDefinition } from './types.js';
import { validateDefinitionFile } from './validate-file.js';
import { readYamlTree, type YamlProblem } from '../yaml/tree.js';

export interface LoadedDefinitions {
  /** All images of all files, `enable: false` ones included, in file-name then file order. */
  definitions: ImageDefinition[];
  warnings: DefinitionIssue[];
  /** The SHA-256 of each file's bytes as read, by path: `update` refuses to replace a file changed since. */
  digests: Map<string, string>;
}

const YAML_FILE = /\.ya?ml$/;

/**
 * Loads OIM image definitions from a directory (each `*.yml`/`*.yaml` in it, by name, not recursive)
 * or from one file. Every file is checked in full before anything fails; then a DefinitionError
 * lists all errors at once.
 */
export function loadDefinitions(path: string): LoadedDefinitions {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  const definitions: ImageDefinition[] = [];
  const firstByName = new Map<string, ImageDefinition>();
  const digests = new Map<string, string>();

  for (const file of definitionFiles(path, errors)) {
    const bytes = readBytes(file, errors);
    if (bytes === undefined) continue;
    digests.set(file, digestOf(bytes));
    const text = bytes.toString('utf8');
    const tree = readYamlTree(text);
    const toIssue = (problem: YamlProblem) => issueAt(file, tree.value, problem.line, problem.path, problem.message);
    warnings.push(...tree.warnings.map(toIssue));
    if (tree.errors.length > 0) {
      errors.push(...tree.errors.map(toIssue));
      continue;
    }
    const result = validateDefinitionFile(tree.value, tree.sourceMap, file);
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    for (const { index, definition } of result.images) {
      const first = firstByName.get(definition.name);
      if (first !== undefined) {
        errors.push({
          file,
          line: definition.line,
          image: definition.name,
          path: `images[${index}].name`,
          message: `an image of this name is already defined at ${first.file}:${first.line}`,
        });
        continue;
      }
      firstByName.set(definition.name, definition);
      definitions.push(definition);
    }
  }

  if (errors.length > 0) throw new DefinitionError(errors, warnings);
  return { definitions, warnings, digests };
}

function definitionFiles(path: string, errors: DefinitionIssue[]): string[] {
  let isDirectory: boolean;
  let names: string[];
  try {
    isDirectory = statSync(path).isDirectory();
    names = isDirectory ? readdirSync(path) : [];
  } catch (error) {
    errors.push(fileIssue(path, `cannot read image definitions: ${reason(error, path)}`));
    return [];
  }
  if (!isDirectory) return [path];
  const errorsBefore = errors.length;
  const files = names
    .filter((name) => YAML_FILE.test(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(path, name))
    .filter((file) => isDefinitionFile(file, errors));
  if (files.length === 0 && errors.length === errorsBefore) {
    errors.push(fileIssue(path, 'the directory has no image definition files (*.yml, *.yaml)'));
  }
  return files;
}

/**
 * Whether a `*.yml` entry of the directory is a file to load: a directory is left out; an entry that cannot
 * be followed (a symlink loop, a dangling symlink, no permission) is an error, never silently skipped.
 */
function isDefinitionFile(file: string, errors: DefinitionIssue[]): boolean {
  try {
    return !statSync(file).isDirectory();
  } catch (error) {
    errors.push(fileIssue(file, `cannot read the file: ${reason(error, file)}`));
    return false;
  }
}

function readBytes(file: string, errors: DefinitionIssue[]): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    errors.push(fileIssue(file, `cannot read the file: ${reason(error, file)}`));
    return undefined;
  }
}

function fileIssue(file: string, message: string): DefinitionIssue {
  return { file, path: '', message };
}

function reason(error: unknown, file: string): string {
  return fileErrorReason(error, file) ?? (error instanceof Error ? error.message : String(error));
}
