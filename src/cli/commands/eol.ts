import type { Logger } from 'pino';
import { compileFilter, formatIssue, loadDefinitions, selectDefinitions } from '../../definitions/index.js';
import type { FetchLike } from '../../net/fetch.js';
import { type EndOfLifeReport, endOfLifeReport } from '../../run/eol.js';
import type { Clock } from '../../util/clock.js';
import { plural } from '../../util/plural.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import type { declareEol } from '../options.js';
import { shippedImagesDir } from './selection.js';

export type EolOptions = ReturnType<ReturnType<typeof declareEol>['opts']>;

/**
 * `image-manager eol`: loads the definitions, then judges the selected ones by endoflife.date. The filter's
 * `enable: false` matches count as defined (a release known to the operator is not new); without --force they
 * are not judged.
 */
export async function endOfLife(
  options: Pick<EolOptions, 'images' | 'filter' | 'force' | 'today' | 'warnDays' | 'eolApi' | 'timeout'>,
  fetch: FetchLike,
  log: Logger,
  clock: Clock,
): Promise<EndOfLifeReport> {
  if (options.filter !== undefined) compileFilter(options.filter);
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const { filter, force } = options;
  const judged = selectDefinitions(definitions, { filter, force }); // a filter that selects nothing: exit 2
  const matched = selectDefinitions(definitions, { filter, force: true });
  log.info(`Loaded ${plural(definitions.length, 'image definition')} from ${source}; ${judged.length} selected`);
  const today = options.today ?? new Date(clock.now()).toISOString().slice(0, 10);
  const report = await endOfLifeReport(matched, {
    api: options.eolApi,
    today,
    warnDays: options.warnDays,
    force,
    timeoutMs: options.timeout * 1000,
    fetch,
    clock,
  });
  log.info(`Read ${plural(report.products.length, 'product')} from endoflife.date: ${describeProducts(report)}`);
  return report;
}

function describeProducts(report: EndOfLifeReport): string {
  return report.products.map(({ product, cycles }) => `${product} (${plural(cycles, 'cycle')})`).join(', ') || 'none';
}

/** Findings: a judged definition past its end of life, or a supported release newer than every one defined. */
export function findingsOf(report: EndOfLifeReport): number {
  const past = report.verdicts.filter((verdict) => verdict.state === 'past').length;
  return past + report.notDefined.filter((release) => release.newer).length;
}

/** 1 on a finding, as `check` exits 1 on a FAIL; 0 otherwise (near, unknown and older releases are reported). */
export function eolExitCode(report: EndOfLifeReport): number {
  return findingsOf(report) > 0 ? EXIT_FAILED : EXIT_OK;
}
