import { Writable } from 'node:stream';
import { safeJson } from './safe-text.js';

/** A stream that keeps what is written to it, for a caller that decides afterwards where it goes. */
export function textSink(): { stream: NodeJS.WritableStream; text(): string } {
  const parts: string[] = [];
  // Writable calls write() at once for each chunk, so text() holds everything written before it is called.
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      parts.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => parts.join('') };
}

/**
 * A JSON document on one line, as --log-format json needs stdout (every line one JSON object): the document a
 * command printed with --output json, or nothing when it printed nothing. Text that is not one document (no
 * command prints such with --output json) is kept as `{"output": TEXT}`, never printed raw.
 */
export function oneLineJson(text: string): string {
  if (text.trim() === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = { output: text };
  }
  return `${safeJson(JSON.stringify(value))}\n`;
}
