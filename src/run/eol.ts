import type { ImageDefinition } from '../definitions/types.js';
import { type Cycle, readCycles } from '../eol/cycles.js';
import { EndOfLifeDataError } from '../eol/errors.js';
import { type Judgement, judge, productsOf, subjectsOf } from '../eol/judge.js';
import type { FetchLike } from '../net/fetch.js';
import { maskUserinfo } from '../net/redact.js';
import { EndOfLifeApi, productUrl } from '../upstream/end-of-life.js';
import { UpstreamError } from '../upstream/http.js';
import type { Clock } from '../util/clock.js';

export interface EndOfLifeOptions {
  /** The product URL, `{product}` standing for the product. */
  api: string;
  /** YYYY-MM-DD */
  today: string;
  warnDays: number;
  /** Judge `enable: false` definitions too. */
  force: boolean;
  timeoutMs: number;
  fetch: FetchLike;
  clock: Clock;
}

/** What `eol` found: the judgement, on which day, and what each product's answer was read from. */
export interface EndOfLifeReport extends Judgement {
  today: string;
  warnDays: number;
  api: string;
  products: { product: string; url: string; cycles: number }[];
}

/**
 * The end-of-life report of `definitions` (those the filter matched, disabled ones included: they count as
 * defined). Each product the definitions follow is asked once, all at once; an answer that cannot be read or is
 * not endoflife.date's format stops the report (EndOfLifeDataError naming the URL): nothing is judged on it.
 */
export async function endOfLifeReport(
  definitions: readonly ImageDefinition[],
  options: EndOfLifeOptions,
): Promise<EndOfLifeReport> {
  const all = subjectsOf(definitions);
  const judged = all.filter((subject) => subject.enabled || options.force);
  const api = new EndOfLifeApi({ fetch: options.fetch, timeoutMs: options.timeoutMs, clock: options.clock });
  const products = await Promise.all(
    productsOf(all).map(async (product) => {
      const url = productUrl(options.api, product.id);
      return { product: product.id, url, cycles: await cyclesAt(api, url) };
    }),
  );
  const cycles = new Map(products.map((entry) => [entry.product, entry.cycles]));
  const judgement = judge(judged, all, cycles, { today: options.today, warnDays: options.warnDays });
  return {
    today: options.today,
    warnDays: options.warnDays,
    api: options.api,
    ...judgement,
    products: products.map(({ product, url, cycles: read }) => ({ product, url, cycles: read.length })),
  };
}

async function cyclesAt(api: EndOfLifeApi, url: string): Promise<Cycle[]> {
  let answer: unknown;
  try {
    answer = await api.json(url);
  } catch (error) {
    if (error instanceof UpstreamError) throw new EndOfLifeDataError(error.message);
    throw error;
  }
  const read = readCycles(answer);
  if ('problem' in read) throw new EndOfLifeDataError(`${maskUserinfo(url)}: ${read.problem}`);
  return read.cycles;
}
