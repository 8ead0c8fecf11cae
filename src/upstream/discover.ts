import { firstControlCharacter } from '../util/control-characters.js';
import { httpDateToYmd } from './dates.js';
import { UpstreamError, type UpstreamHttp } from './http.js';
import { shownUrl, urlProblem } from './names.js';
import type { UpstreamBuild, UpstreamSource } from './layouts/layout.js';
import { layoutNamed, layoutOf, unrecognised } from './layouts/registry.js';

/**
 * Finds the newest published build of a source with the given layout, by default the one its URLs' shape
 * tells: one or two small GETs.
 */
export async function findNewestBuild(
  source: UpstreamSource,
  http: UpstreamHttp,
  layout: string | undefined = layoutOf(source),
): Promise<UpstreamBuild> {
  if (layout === undefined) throw new UpstreamError(source.latestUrl, unrecognised(source));
  const build: UpstreamBuild = { layout, ...(await layoutNamed(layout).newestBuild(source, http)) };
  // What an upstream names ends up in image properties, logs and definition files.
  const listedAt = source.latestChecksumUrl ?? source.latestUrl;
  const odd = firstControlCharacter(build.url) ?? (/\s/.test(build.url) ? 'a space' : undefined);
  if (odd) throw new UpstreamError(listedAt, `offers a file whose name holds ${odd}: not taken`);
  // Long or invisible: what a layout pinned by the definition's own URL (a sidecar) is checked here too.
  const problem = urlProblem(build.url);
  if (problem) throw new UpstreamError(listedAt, `offers ${shownUrl(build.url)}, which ${problem}: not taken`);
  return build;
}

/** The build's date: from its folder or file name, else the Last-Modified of its URL (one HEAD). */
export async function buildDate(build: UpstreamBuild, http: UpstreamHttp): Promise<string> {
  if (build.date !== undefined) return build.date;
  const header = await http.lastModified(build.url);
  if (header === undefined) {
    throw new UpstreamError(build.url, 'answered without Last-Modified, so the build date is unknown');
  }
  const date = httpDateToYmd(header);
  if (date === undefined) {
    throw new UpstreamError(build.url, `answered Last-Modified "${header}", which is no HTTP date`);
  }
  return date;
}
