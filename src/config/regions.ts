import { z } from 'zod';
import { cloudError, type CloudOrigin } from './cloud-origin.js';
import { deepMerge, normalizeKeys } from './merge.js';
import type { Mapping } from '../util/objects.js';
import { parseOrThrow } from './schema.js';

const regionSchema = z.union(
  [z.string(), z.object({ name: z.string(), values: z.record(z.string(), z.unknown()).optional() })],
  { error: 'must be a region name or a mapping with name and values' },
);

const regionsSchema = z.object({ regions: z.array(regionSchema, { error: 'must be a list of regions' }).nullish() });

/**
 * Applies a cloud's `regions:` list: picks the requested region (else the first, as openstacksdk does),
 * sets `region_name` and merges that region's `values` over the cloud's settings.
 */
export function applyRegion(cloud: Mapping, requestedRegion: string | undefined, origin: CloudOrigin): Mapping {
  const { regions: rawRegions, ...rest } = cloud;
  const { regions } = parseOrThrow(regionsSchema, { regions: rawRegions }, (problem) => cloudError(origin, problem));
  if (!regions || regions.length === 0) return cloud;

  const entries = regions.map((region) => (typeof region === 'string' ? { name: region, values: {} } : region));
  const chosen = requestedRegion === undefined ? entries[0] : entries.find((entry) => entry.name === requestedRegion);
  if (!chosen) {
    const names = entries.map((entry) => entry.name).join(', ');
    throw cloudError(origin, `region "${requestedRegion}" is not one of its regions (${names})`);
  }
  const values = normalizeKeys(chosen.values ?? {}) as Mapping;
  return { ...deepMerge(rest, values), region_name: chosen.name };
}
