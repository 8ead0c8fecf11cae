import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import type { StatusView } from '../../../src/status/types.js';
import { statusView } from '../../../src/status/view.js';
import { options, PROJECT, run } from '../plan/helpers.js';

export const NOW = new Date('2025-06-15T12:00:00Z');

export interface StatusCase {
  opts?: Partial<PlanOptions>;
  unmanagedNamed?: GlanceImage[];
  /** Every loaded definition; default the planned ones. */
  all?: ImageDefinition[];
}

/** The status of `definitions` against `observed`, with the plan the planner makes of exactly them. */
export function statusOf(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  { opts = {}, unmanagedNamed = [], all = definitions }: StatusCase = {},
): StatusView {
  const plan = run(definitions, observed, opts, { unmanagedNamed });
  return statusView({
    cloud: 'test',
    definitions,
    allDefinitions: all,
    observed,
    unmanagedNamed,
    projectId: PROJECT,
    options: options(opts),
    plan,
    now: NOW,
  });
}

/** A hand-uploaded image: no managed tag, another project's. */
export function stranger(name: string, overrides: Partial<GlanceImage> = {}): GlanceImage {
  return {
    id: `hand-${name.length}-${overrides.visibility ?? 'public'}`,
    name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    tags: [],
    min_disk: 0,
    min_ram: 0,
    disk_format: 'qcow2',
    container_format: 'bare',
    size: 1,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    owner: 'project-other',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}
