/**
 * Characters that must not reach a terminal or a log raw: C0 (tab and newline included), DEL and C1
 * (`\p{Cc}`), Unicode's bidi controls (which reorder what is shown) and its line and paragraph separators.
 */
const CONTROL = /[\p{Cc}\p{Bidi_Control}\p{Zl}\p{Zp}]/u;
const CONTROLS = /[\p{Cc}\p{Bidi_Control}\p{Zl}\p{Zp}]/gu;
/** The same, less C0: what JSON.stringify leaves raw in its strings. */
const CONTROLS_JSON_LEAVES = /[\u007f-\u009f\p{Bidi_Control}\p{Zl}\p{Zp}]/gu;

/** `U+001B` for the first control character in `text`, or undefined. */
export function firstControlCharacter(text: string): string | undefined {
  const found = CONTROL.exec(text)?.[0];
  return found === undefined ? undefined : codePoint(found);
}

/**
 * `text` with every control character written as `\uXXXX` (`\n`, `\r`, `\t` for those three); the
 * characters in `keep` are left as they are.
 */
export function escapeControl(text: string, keep = ''): string {
  return text.replace(CONTROLS, (char) => (keep.includes(char) ? char : jsonEscape(char)));
}

/**
 * JSON text (JSON.stringify's output, or a JSON log line) with the control characters JSON.stringify leaves
 * raw inside strings escaped; the value it stands for is the same. Outside strings JSON has none of them.
 */
export function escapeJsonText(json: string): string {
  return json.replace(CONTROLS_JSON_LEAVES, jsonEscape);
}

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function jsonEscape(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
