import type { FORMATS } from '../options.js';
import { jsonText } from '../safe-text.js';

// The one place that chooses a format: a renderer says how its document reads in each format, and `render`
// picks the one asked for. A new format is a new entry of FORMATS, and the compiler names every renderer that
// lacks it.

export type Format = (typeof FORMATS)[number];

/** The formats a run asked for. */
export interface Formats {
  output: Format;
  logFormat: Format;
}

/**
 * What stdout carries: text, a JSON document, or with --log-format json (every line on stdout is JSON too)
 * the document on one line, whatever --output says.
 */
export type StdoutFormat = Format | 'json-line';

export function stdoutFormat({ output, logFormat }: Formats): StdoutFormat {
  return logFormat === 'json' ? 'json-line' : output;
}

/** A document in each format; `render` calls the one asked for. */
export type Forms<F extends string = Format> = Record<F, () => string>;

export function render<F extends string>(format: F, forms: Forms<F>): string {
  return forms[format]();
}

/** A value as --output json prints it: pretty, made safe for a terminal, one document. */
export function jsonDocumentText(value: unknown): string {
  return `${jsonText(value)}\n`;
}

/**
 * The formats in the raw arguments, as commander would read them (`--output json`, `--output=json`, the last
 * one wins, nothing after `--`): for a run whose arguments commander refused, maybe before it reached these.
 */
export function requestedFormats(args: readonly string[]): Formats {
  const formats: Formats = { output: 'text', logFormat: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag !== '--output' && flag !== '--log-format') continue;
    const value = inline ?? args[++i];
    const format = value === 'json' ? 'json' : 'text';
    if (flag === '--output') formats.output = format;
    else formats.logFormat = format;
  }
  return formats;
}
