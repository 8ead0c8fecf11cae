import { localFileProblem } from '../sources/local-file.js';
import { unknownLayout } from '../upstream/layouts/registry.js';
import { assetProblem } from '../upstream/layouts/release-feed.js';
import { propertiesFor } from '../definitions/publishes.js';
import type { DefinitionIssue, ImageDefinition, VersionDefinition } from '../definitions/types.js';

export interface PreflightOptions {
  /** Directories `file:` URLs may lie in (--allow-local-files); none: every `file:` URL is refused. */
  localFileDirs: readonly string[];
  /** Glance's `image_property_quota` (--property-quota; Glance's default 128). */
  propertyQuota: number;
}

/**
 * What every run checks of the selected definitions before any cloud request, --no-check or not: a named
 * `upstream_layout` is one of the registry's, `latest_asset` names a file (or OIM's placeholder in one), each
 * version's `file:` URLs (url, mirror_url) lie under an allowed directory, and the properties it would publish
 * fit Glance's property quota (which Glance enforces only once the image is imported).
 */
export function checkBeforeRun(definitions: readonly ImageDefinition[], options: PreflightOptions): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const def of definitions) {
    const layout = unknownLayout(def.upstream_layout);
    if (layout !== undefined) {
      issues.push({ file: def.file, line: def.line, image: def.name, path: 'upstream_layout', message: layout });
    }
    const asset = def.latest_asset === undefined ? undefined : assetProblem(def.latest_asset);
    if (asset !== undefined) {
      issues.push({ file: def.file, line: def.line, image: def.name, path: 'latest_asset', message: asset });
    }
    for (const version of def.versions) {
      const issue = (field: string, message: string): DefinitionIssue => ({
        file: def.file,
        line: version.line,
        image: def.name,
        path: `versions[${version.version}].${field}`,
        message,
      });
      for (const field of ['url', 'mirror_url'] as const) {
        const url = version[field];
        const problem = url?.startsWith('file:') ? localFileProblem(url, options.localFileDirs) : undefined;
        if (problem !== undefined) issues.push(issue(field, problem));
      }
      const count = propertyCount(def, version);
      if (count > options.propertyQuota) {
        const quota = `more than ${options.propertyQuota} (Glance's image_property_quota)`;
        const remedy = 'drop meta keys, or give --property-quota N if the cloud allows more';
        issues.push(issue('meta', `would publish ${count} properties, ${quota}: ${remedy}`));
      }
    }
  }
  return issues;
}

/**
 * The properties the version's image would carry, `image_verification` (written when it is published) among
 * them; a `latest` pointer gets its build date when a run reads it.
 */
function propertyCount(def: ImageDefinition, version: VersionDefinition): number {
  const dated = version.build_date === undefined ? { ...version, build_date: '1970-01-01' } : version;
  return Object.values(propertiesFor(def, dated)).filter((value) => value !== null).length + 1;
}
