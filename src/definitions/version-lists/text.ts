import { VersionEditError } from '../errors.js';

/** The text of a definition file being edited, and the line break it uses (`\n` or `\r\n`). */
export interface EditedText {
  text: string;
  eol: string;
}

export function editedText(text: string): EditedText {
  const newline = text.indexOf('\n');
  return { text, eol: newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n' };
}

export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line break that ends the line holding `offset` (the text's end on its last line). */
export function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

export function column(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** A VersionEditError whose message starts with `line N:`, N the line holding `offset`. */
export function editError(text: string, offset: number, message: string): VersionEditError {
  const line = text.slice(0, Math.max(0, offset)).split('\n').length;
  return new VersionEditError(`line ${line}: ${message}`);
}
