import type { DefinitionIssue, ImageDefinition } from '../definitions/types.js';
import type { Finding } from './findings.js';
import { checkImage, checkImages } from './image-metadata.js';
import type { CheckOptions } from './image-subject.js';
import { subjectOfDefinition } from './subjects.js';
import { latestPointer } from '../definitions/latest-version.js';

/**
 * Recency depends on the day a check runs, not on what a definition says: a catalogue does not become
 * invalid overnight. The live audit (`image-manager check`) judges it.
 */
const NOT_FOR_DEFINITIONS = new Set<Finding['rule']>(['recency']);

export interface DefinitionCompliance {
  errors: DefinitionIssue[];
  warnings: DefinitionIssue[];
}

/**
 * scs-0102 applied to what each version of each definition would publish: a FAIL is an error (nothing may
 * be changed), a WARN a warning. Rules across definitions (uniqueness) only warn, so that OIM's own
 * catalogue still loads.
 */
export function checkDefinitions(definitions: ImageDefinition[], options: CheckOptions): DefinitionCompliance {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  definitions.forEach((def) => {
    for (const version of def.versions) {
      // A `latest` pointer's build date is its upstream's Last-Modified, known only when a run reads it.
      const datedAtRun = version === latestPointer(def);
      for (const finding of checkImage(subjectOfDefinition(def, version), options)) {
        if (finding.verdict === 'PASS' || NOT_FOR_DEFINITIONS.has(finding.rule)) continue;
        if (datedAtRun && finding.rule === 'image_build_date') continue;
        const issue: DefinitionIssue = {
          file: def.file,
          line: version.line,
          image: def.name,
          path: `versions[${version.version}] ${finding.rule}`,
          message: `scs-0102: ${finding.message}`,
        };
        (finding.verdict === 'FAIL' ? errors : warnings).push(issue);
      }
    }
  });

  const newest = definitions.flatMap((def) => {
    const version = def.versions.at(-1);
    return version ? [{ def, subject: subjectOfDefinition(def, version) }] : [];
  });
  const cross = checkImages(
    newest.map((entry) => entry.subject),
    options,
  );
  newest.forEach(({ def }, i) => {
    for (const finding of cross[i] ?? []) {
      if (finding.rule !== 'uniqueness' || finding.verdict === 'PASS') continue;
      const message = `scs-0102: ${finding.message}`;
      warnings.push({ file: def.file, line: def.line, image: def.name, path: 'uniqueness', message });
    }
  });
  return { errors, warnings };
}
