import { escapeControl, escapeJsonText } from '../util/control-characters.js';
import { maskUserinfo } from '../net/redact.js';

/**
 * Text as it may reach a terminal or a log: one line, every control character shown escaped (`\u001b`),
 * the userinfo of every URL masked. Whatever a definition, a cloud or an upstream said, it cannot forge a
 * line, move the cursor or retitle the terminal.
 */
export function safeText(text: string): string {
  return escapeControl(maskUserinfo(text));
}

/** Like safeText, but the line breaks (and tabs) of a text meant to span lines are kept. */
export function safeLines(text: string): string {
  return text
    .split(/(\r?\n)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeControl(maskUserinfo(part), '\t')))
    .join('');
}

/** JSON text with what JSON.stringify leaves raw (DEL, C1, bidi, U+2028/2029) escaped and URL userinfo masked. */
export function safeJson(json: string): string {
  return escapeJsonText(maskUserinfo(json));
}

/** JSON.stringify, made safe for a terminal. */
export function jsonText(value: unknown, space = 2): string {
  return safeJson(JSON.stringify(value, null, space));
}
