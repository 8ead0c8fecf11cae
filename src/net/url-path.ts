/**
 * A URL's path as the server reads it: its segments percent-decoded (`%20` a space, `%2B` a plus), a malformed
 * escape left as written. What a signature over the object's name must cover, whichever way the URL spelt it.
 */
export function decodedSegments(url: URL): string[] {
  return url.pathname.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}
