/**
 * The object a version's mirror copy is, as OIM's `mirror_url` and its `contrib/mirror.py` name it:
 * `<shortname>/<version>-<shortname>.<format>`. The copy holds the image itself, so a packed source
 * (`.qcow2.xz`) is named by the definition's `format`. The loader refuses a shortname or version that would make
 * a `.`, `..` or extra segment of it (image-checks.ts).
 */
export function mirrorObjectName(shortname: string, version: string, format: string): string {
  return `${shortname}/${version}-${shortname}.${format}`;
}

/**
 * The URL of an object under a base (`<base>/<object>`, `<base>/<container>/<object>`), each segment encoded:
 * the URL `mirror` reports and writes, and the one a run derives from --mirror-base, are the same.
 */
export function mirrorObjectUrl(base: string, ...path: string[]): string {
  return [base.replace(/\/+$/, ''), ...path.flatMap((part) => part.split('/')).map(encodeURIComponent)].join('/');
}
