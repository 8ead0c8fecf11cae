import type { CloudOutcome, CloudsOutcome } from '../several-clouds.js';
import { safeLines, safeText } from '../safe-text.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What a run on several clouds prints: every cloud's output under its heading, or one document of them all. */
export function renderClouds({ outcomes, exitCode }: CloudsOutcome, format: Format): string {
  return render(format, { json: () => cloudsDocument(outcomes, exitCode), text: () => cloudsText(outcomes) });
}

/**
 * `{"exitCode": N, "clouds": {"NAME": <the one-cloud document> | {"error": {...}}}}`, clouds in the order
 * asked for (README, "Machine-readable output").
 */
function cloudsDocument(outcomes: readonly CloudOutcome[], exitCode: number): string {
  const clouds = Object.fromEntries(
    outcomes.map(({ cloud, output, error }) => [cloud, error ? { error } : (JSON.parse(output) as unknown)]),
  );
  return jsonDocumentText({ exitCode, clouds });
}

/** A heading per cloud, then what its run printed, or its error. */
function cloudsText(outcomes: readonly CloudOutcome[]): string {
  return outcomes
    .map(({ cloud, output, error, exitCode }) => {
      const heading = `=== cloud ${safeText(cloud)}${exitCode === 0 ? '' : ` (exit ${exitCode})`} ===\n`;
      return `${heading}${error ? `error: ${safeLines(error.message)}\n` : output}`;
    })
    .join('\n');
}
