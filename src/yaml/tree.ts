import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { SourceMap, type FieldPath } from './source-map.js';
import { pyyamlTags, YamlTimestamp } from './pyyaml.js';
import { isMapping } from '../util/objects.js';

/** What the YAML reader found wrong or doubtful, before any schema check; `path` is where, if known. */
export interface YamlProblem {
  line?: number;
  path: FieldPath;
  message: string;
  /** The parser's code (e.g. BAD_INDENT), or DUPLICATE_KEY: a reason that quotes nothing of the file. */
  code?: string;
}

export interface YamlTree {
  /** Plain values: objects, arrays, strings, numbers, booleans, null and YamlTimestamp; undefined if unreadable. */
  value: unknown;
  sourceMap: SourceMap;
  errors: YamlProblem[];
  warnings: YamlProblem[];
}

/** Generous for real definition and clouds files, small enough to stop "billion laughs" alias bombs. */
const MAX_ALIAS_EXPANSIONS = 10_000;
const SINGLE_DOCUMENT = 'a file must hold a single YAML document';

/** Reads one YAML document the way PyYAML's SafeLoader does, remembering where every field was written. */
export function readYamlTree(text: string): YamlTree {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    // `<<` keys come back as merge symbols; the walker applies them (yaml's own merge happens only in toJS).
    merge: true,
    customTags: pyyamlTags,
    lineCounter,
    // PyYAML lets the last of duplicate keys win; the walk below warns about them instead of failing.
    uniqueKeys: false,
    prettyErrors: false,
  });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const warnings: YamlProblem[] = doc.warnings.map((warning) => ({
    line: lineAt(warning.pos[0]),
    path: [],
    message: warning.message,
  }));
  const sourceMap = new SourceMap();
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => ({
      line: lineAt(error.pos[0]),
      path: [],
      code: error.code,
      // PyYAML's yaml.load refuses a second document as well.
      message: `invalid YAML: ${error.code === 'MULTIPLE_DOCS' ? SINGLE_DOCUMENT : error.message}`,
    }));
    return { value: undefined, sourceMap, errors, warnings };
  }
  const walker = new TreeWalker(doc, lineAt, sourceMap, warnings);
  sourceMap.setLine([], 1);
  const value = walker.convert(doc.contents, []);
  return { value, sourceMap, errors: walker.errors, warnings };
}

class TreeWalker {
  readonly errors: YamlProblem[] = [];
  private aliasExpansions = 0;
  private readonly open = new Set<Node>();

  constructor(
    private readonly doc: Document,
    private readonly lineAt: (offset: number) => number,
    private readonly sourceMap: SourceMap,
    private readonly warnings: YamlProblem[],
  ) {}

  convert(node: unknown, path: FieldPath): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.convertAlias(node.resolve(this.doc), path, node.range?.[0]);
    if (isScalar(node)) {
      if (node.type === 'PLAIN' && node.source !== undefined) this.sourceMap.setSource(path, node.source);
      return typeof node.value === 'symbol' ? (node.value.description ?? '') : node.value;
    }
    if (this.open.has(node as Node)) {
      this.fail(path, (node as Node).range?.[0], 'a recursive alias refers to itself');
      return null;
    }
    this.open.add(node as Node);
    try {
      if (isMap(node)) return this.convertMap(node.items, path);
      if (isSeq(node)) {
        return node.items.map((item, index) => {
          const offset = (item as Node | null)?.range?.[0];
          if (offset !== undefined) this.sourceMap.setLine([...path, index], this.lineAt(offset));
          return this.convert(item, [...path, index]);
        });
      }
    } finally {
      this.open.delete(node as Node);
    }
    return null;
  }

  private convertAlias(target: Node | undefined, path: FieldPath, offset: number | undefined): unknown {
    this.aliasExpansions += 1;
    if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      if (this.aliasExpansions === MAX_ALIAS_EXPANSIONS + 1) {
        this.fail(path, offset, `more than ${MAX_ALIAS_EXPANSIONS} alias expansions`);
      }
      return null;
    }
    if (target === undefined) {
      this.fail(path, offset, 'an alias refers to an unknown anchor');
      return null;
    }
    return this.convert(target, path);
  }

  private convertMap(pairs: ReadonlyArray<{ key: unknown; value: unknown }>, path: FieldPath): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const seenAt = new Map<string, number | undefined>();
    const merges: unknown[] = [];
    for (const pair of pairs) {
      const offset = (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
      const line = offset === undefined ? undefined : this.lineAt(offset);
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        merges.push(this.convert(pair.value, path));
        continue;
      }
      const key = this.keyText(pair.key, path, offset);
      if (key === undefined) continue;
      if (seenAt.has(key)) {
        const first = seenAt.get(key);
        const where = first === undefined ? '' : ` (first at line ${first})`;
        const message = `duplicate key "${key}"${where}: the last one wins, as in PyYAML`;
        this.warnings.push({ line, path: [...path, key], code: 'DUPLICATE_KEY', message });
      }
      seenAt.set(key, line);
      if (line !== undefined) this.sourceMap.setLine([...path, key], line);
      setOwn(result, key, this.convert(pair.value, [...path, key]));
    }
    this.applyMerges(result, merges, path);
    return result;
  }

  /** `<<: *base` (or a list of them): merged keys never override explicit ones, earlier merges win. */
  private applyMerges(result: Record<string, unknown>, merges: unknown[], path: FieldPath): void {
    const sources = merges.flatMap((merge) => (Array.isArray(merge) ? merge : [merge]));
    for (const source of sources) {
      if (!isMapping(source)) {
        this.fail(path, undefined, 'a merge key (<<) must refer to a map or a list of maps');
        continue;
      }
      for (const [key, value] of Object.entries(source)) {
        if (!Object.hasOwn(result, key)) setOwn(result, key, value);
      }
    }
  }

  private keyText(key: unknown, path: FieldPath, offset: number | undefined): string | undefined {
    const value = isScalar(key) ? key.value : isAlias(key) ? this.convert(key, path) : key;
    if (value === null || value === undefined) return 'null';
    if (value instanceof YamlTimestamp) return value.text;
    if (typeof value !== 'object') return String(value);
    this.fail(path, offset, 'a map key must be a plain value, not a map or a list');
    return undefined;
  }

  private fail(path: FieldPath, offset: number | undefined, message: string): void {
    const line = offset === undefined ? this.sourceMap.line(path) : this.lineAt(offset);
    this.errors.push({ line, path, message: `invalid YAML: ${message}` });
  }
}

/** Plain assignment would treat a `__proto__` key specially. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
