/** Every String method but the metered ones: each would read the text without being counted. */
const UNMETERED = [
  ...Object.getOwnPropertyNames(String.prototype).filter(
    (name) => !['constructor', 'length', 'charCodeAt', 'slice'].includes(name),
  ),
  Symbol.toPrimitive,
  Symbol.iterator,
];

/**
 * A text that counts the work done on it: each character read (`charCodeAt`) and each character copied out
 * (`slice`) adds one to `reads`. Every other way of reading it (a regex, `indexOf`, `split`, turning it into a
 * plain string) throws, so `reads` is all the work a parser did on the text itself.
 */
export class MeteredText extends String {
  reads = 0;
  readonly #text: string;

  constructor(text: string) {
    super(text);
    this.#text = text;
    for (const name of UNMETERED) {
      Object.defineProperty(this, name, {
        value: () => {
          throw new Error(`${String(name)} reads the text unmetered`);
        },
      });
    }
  }

  override charCodeAt(index: number): number {
    this.reads++;
    return this.#text.charCodeAt(index);
  }

  override slice(start?: number, end?: number): string {
    const part = this.#text.slice(start, end);
    this.reads += part.length;
    return part;
  }

  /** As the parsers take it: a string, to them. */
  asString(): string {
    return this as unknown as string;
  }
}
