/** A field's location in a YAML file: keys and list indexes from the document root. */
export type FieldPath = ReadonlyArray<string | number>;

/** `images[2].meta.os_distro` */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Where each field of a parsed file was written: its 1-based line and, for plain scalars, its text. */
export class SourceMap {
  private readonly lines = new Map<string, number>();
  private readonly sources = new Map<string, string>();

  setLine(path: FieldPath, line: number): void {
    this.lines.set(formatPath(path), line);
  }

  setSource(path: FieldPath, text: string): void {
    this.sources.set(formatPath(path), text);
  }

  /** The line of the field, or of its nearest ancestor that was written (a missing field has none). */
  line(path: FieldPath): number | undefined {
    for (let length = path.length; length >= 0; length--) {
      const line = this.lines.get(formatPath(path.slice(0, length)));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  /** The text of an unquoted scalar as written, e.g. `9.10` where YAML read the number 9.1. */
  source(path: FieldPath): string | undefined {
    return this.sources.get(formatPath(path));
  }
}
