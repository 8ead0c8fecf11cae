import { pino, type Logger, type DestinationStream } from 'pino';
import type { Redactor } from '../net/redact.js';
import type { ProgramOptions } from './options.js';
import type { Format } from './render/format.js';
import { safeJson, safeText } from './safe-text.js';

export interface LoggerOptions {
  format: Format;
  debug: boolean;
  redactor: Redactor;
  /** Where lines go; default stderr, so that stdout carries only program output. */
  stream?: NodeJS.WritableStream;
}

/**
 * pino, writing to stderr: JSON lines for cron and CI, or lines in the shape `osism manage image` prints
 * (`2025-05-09 16:44:45 | INFO     | Importing image ...`). Every object and message passes the redactor;
 * every line is one line, with control characters escaped and URL userinfo masked (see safeText).
 */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.stream ?? process.stderr;
  const lineIn = LINES[options.format];
  const destination: DestinationStream = { write: (line: string) => out.write(lineIn(line)) };
  const { redactor } = options;
  return pino(
    {
      level: options.debug ? 'debug' : 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? redactor.text(arg) : redactor.value(arg)));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** The logger of one run, as the options ask for it. */
export function createRunLogger(
  options: Pick<ProgramOptions, 'debug' | 'logFormat'>,
  redactor: Redactor,
  stream: NodeJS.WritableStream,
): Logger {
  return createLogger({ format: options.logFormat, debug: options.debug, redactor, stream });
}

/** A pino line (JSON) as each log format writes it. */
const LINES: Readonly<Record<Format, (line: string) => string>> = { json: jsonLine, text: textLine };

/** Fields a text line shows in its own place, not as `key=value`: `cloud` (a run on several clouds) leads it. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'cloud']);

function jsonLine(line: string): string {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  return `${safeJson(body)}\n`;
}

function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? localTime(new Date(entry.time)) : '';
  const level = String(entry.level ?? 'info')
    .toUpperCase()
    .padEnd(8);
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const cloud = typeof entry.cloud === 'string' ? `[${entry.cloud}]` : '';
  const message = [cloud, entry.msg ?? '', ...extras].filter((part) => part !== '').join(' ');
  return `${time} | ${level} | ${safeText(String(message))}\n`;
}

function localTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
