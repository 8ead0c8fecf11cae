import { coerceTextFields, type Report } from './coerce-text.js';
import { checkImageVersions, checkPathSegments, checkUpstreamTracks } from './image-checks.js';
import { imageSchema } from './schema.js';
import { issueAt } from './issues.js';
import type { FieldPath, SourceMap } from '../yaml/source-map.js';
import { toImageDefinition } from './to-definition.js';
import type { DefinitionIssue, ImageDefinition } from './types.js';
import { reportControlCharacters } from './text-checks.js';
import { reportUnknownKeys } from './unknown-keys.js';
import { describeZodIssue } from './zod-issues.js';
import { isMapping } from '../util/objects.js';

export interface LoadedImage {
  /** Its index in the file's `images:` list. */
  index: number;
  definition: ImageDefinition;
}

export interface FileValidation {
  images: LoadedImage[];
  errors: DefinitionIssue[];
  warnings: DefinitionIssue[];
}

/** Checks one parsed definition file against OIM's schema; every problem in it is reported. */
export function validateDefinitionFile(root: unknown, sourceMap: SourceMap, file: string): FileValidation {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  const report: Report = (severity, path, message) => {
    (severity === 'error' ? errors : warnings).push(issueAt(file, root, sourceMap.line(path), path, message));
  };

  if (!isMapping(root)) {
    report('error', [], 'a definition file must be a map with an "images:" list');
    return { images: [], errors, warnings };
  }
  const rawImages = root.images;
  if (!Array.isArray(rawImages) || rawImages.length === 0) {
    const problem = rawImages === undefined ? 'is missing' : Array.isArray(rawImages) ? 'is empty' : 'is not a list';
    report('error', ['images'], `the "images:" list ${problem}; a definition file needs at least one image`);
    return { images: [], errors, warnings };
  }

  reportUnknownKeys(root, report);
  reportControlCharacters(root, [], report);
  coerceTextFields(root, sourceMap, report);

  const images: LoadedImage[] = [];
  rawImages.forEach((rawImage, index) => {
    const imagePath: FieldPath = ['images', index];
    const inImage: Report = (severity, path, message) => report(severity, [...imagePath, ...path], message);
    const result = imageSchema.safeParse(rawImage);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.filter((segment) => typeof segment !== 'symbol');
        inImage('error', path, describeZodIssue(issue, rawImage, path));
      }
      return;
    }
    const errorsBefore = errors.length;
    checkImageVersions(result.data, (path) => sourceMap.line([...imagePath, ...path]), inImage);
    checkUpstreamTracks(result.data, inImage);
    checkPathSegments(result.data, inImage);
    if (errors.length > errorsBefore) return;
    const versionLines = result.data.versions.map((_, j) => sourceMap.line([...imagePath, 'versions', j]) ?? 0);
    const definition = toImageDefinition(result.data, { file, line: sourceMap.line(imagePath) ?? 0, versionLines });
    images.push({ index, definition });
  });
  return { images, errors: byLine(errors), warnings: byLine(warnings) };
}

/** Issues in the order of the file, whichever check found them. */
function byLine(issues: DefinitionIssue[]): DefinitionIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
