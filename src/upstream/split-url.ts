/**
 * Splits a URL at its last slash without parsing it: OIM's placeholder puts a regex (with backslashes) into
 * the file name, which a URL parser would rewrite.
 */
export function splitUrl(url: string): { dir: string; file: string } {
  const cut = url.lastIndexOf('/');
  return { dir: url.slice(0, cut), file: url.slice(cut + 1) };
}
