/**
 * Natural ("human") order, like Python's natsort which OIM uses for versions: runs of digits compare
 * as numbers (`1877.5` < `1877.10`), other runs by code unit, and a digit run sorts before text.
 * Strings that only differ in leading zeros (`1.0`, `1.00`) fall back to plain order, so the result
 * is a total order and sorting is deterministic.
 */
export function naturalCompare(a: string, b: string): number {
  const left = tokenize(a);
  const right = tokenize(b);
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const order = compareTokens(left[i] as string, right[i] as string);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const TOKEN = /\d+|\D+/g;

function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function isDigits(token: string): boolean {
  const first = token.charCodeAt(0);
  return first >= 48 && first <= 57;
}

function compareTokens(x: string, y: string): number {
  const xDigits = isDigits(x);
  const yDigits = isDigits(y);
  if (xDigits && yDigits) return compareDigitRuns(x, y);
  if (xDigits !== yDigits) return xDigits ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares digit runs of any length without converting them to (possibly imprecise) numbers. */
function compareDigitRuns(x: string, y: string): number {
  const xs = x.replace(/^0+(?=\d)/, '');
  const ys = y.replace(/^0+(?=\d)/, '');
  if (xs.length !== ys.length) return xs.length - ys.length;
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}
