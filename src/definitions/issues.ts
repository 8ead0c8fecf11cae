import { formatPath, type FieldPath } from '../yaml/source-map.js';
import type { DefinitionIssue } from './types.js';
import { isMapping } from '../util/objects.js';

/** An issue about `path` in `file`, naming the image it is in (read from the raw `root`) when there is one. */
export function issueAt(
  file: string,
  root: unknown,
  line: number | undefined,
  path: FieldPath,
  message: string,
): DefinitionIssue {
  const issue: DefinitionIssue = { file, path: formatPath(path), message };
  if (line !== undefined) issue.line = line;
  const image = imageNameAt(root, path);
  if (image !== undefined) issue.image = image;
  return issue;
}

/** The `name` of `images[i]` when `path` is inside it and the name is text. */
function imageNameAt(root: unknown, path: FieldPath): string | undefined {
  const index = path[1];
  if (path[0] !== 'images' || typeof index !== 'number') return undefined;
  const images = field(root, 'images');
  const name = field(Array.isArray(images) ? images[index] : undefined, 'name');
  return typeof name === 'string' ? name : undefined;
}

function field(value: unknown, key: string): unknown {
  return isMapping(value) ? value[key] : undefined;
}
