import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import {
  compileFilter,
  DefinitionError,
  formatIssue,
  loadDefinitions,
  selectDefinitions,
} from '../../definitions/index.js';
import { checkBeforeRun } from '../../run/preflight.js';
import type { ImageDefinition } from '../../definitions/types.js';
import { checkDefinitions } from '../../scs/definitions.js';
import type { ProgramOptions } from '../options.js';
import { plural } from '../../util/plural.js';

// The definitions and the SCS rules, without anything that talks to a cloud: all --check-only loads.

/** What a run of `image-manager` (no command) reads of the options: all but the connection, logging and sharing. */
export type ManageOptions = Omit<ProgramOptions, NotRead | `share${string}`>;
type NotRead = 'cloud' | 'allClouds' | 'debug' | 'logFormat' | 'yesIReallyKnowWhatIDo';

/** The catalogue shipped with the tool: `images/` at the package root. */
export function shippedImagesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../images');
}

export interface LoadedSelection {
  all: ImageDefinition[];
  selected: ImageDefinition[];
}

/** Loads and validates every definition file, then selects what this run manages. Nothing touches a cloud. */
export function loadSelection(options: ManageOptions, log: Logger): LoadedSelection {
  if (options.filter !== undefined) compileFilter(options.filter); // a bad pattern fails before any file is read
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const selected = selectDefinitions(definitions, { filter: options.filter, force: options.force });
  log.info(`Loaded ${plural(definitions.length, 'image definition')} from ${source}; ${selected.length} selected`);
  const preflight = { localFileDirs: options.allowLocalFiles, propertyQuota: options.propertyQuota };
  const refused = checkBeforeRun(selected, preflight);
  if (refused.length > 0) throw new DefinitionError(refused, warnings);
  if (options.check || options.checkOnly) {
    const compliance = checkDefinitions(selected, { version: options.scsVersion, now: new Date() });
    for (const warning of compliance.warnings) log.warn(formatIssue(warning));
    if (compliance.errors.length > 0) throw new DefinitionError(compliance.errors, compliance.warnings);
    log.info(`The selected definitions would publish images that pass scs-0102 ${options.scsVersion}`);
  }
  return { all: definitions, selected };
}
