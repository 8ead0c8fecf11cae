import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { FetchLike } from '../../../src/net/fetch.js';
import type { GlanceImage, ListFilters } from '../../../src/openstack/image.js';
import type { RunOptions } from '../../../src/run/options.js';
import { prepareRun, type RunCloud, type RunRequest } from '../../../src/run/prepare.js';
import { readStatus } from '../../../src/run/status.js';
import { applyToCloud, def, glanceImage, PROJECT, run, stranger, TAG } from '../plan/helpers.js';

/** A cloud that answers what a run reads, recording the name queries. */
function fakeCloud(managed: GlanceImage[], unmanaged: GlanceImage[] = []) {
  const nameQueries: string[] = [];
  const glance = {
    listAllImages: async () => managed,
    importInfo: async () => ({ methods: ['web-download'] }),
    listImages: async (filters: ListFilters = {}) => {
      nameQueries.push(String(filters.name));
      const names = String(filters.name).slice('in:'.length).split(',');
      return unmanaged.filter((image) => names.includes(`"${image.name}"`));
    },
  };
  const session = { currentToken: async () => ({ projectId: PROJECT, roles: [] }) };
  return { cloud: { glance, session } as unknown as RunCloud, nameQueries };
}

const options: RunOptions = {
  tag: TAG,
  latest: false,
  hide: false,
  unhide: false,
  useOsHidden: false,
  deactivate: false,
  delete: false,
  keep: false,
  update: false,
  parallel: 1,
  timeout: 60,
  checkAge: false,
  maxAge: 90,
};
const noFetch: FetchLike = () => Promise.reject(new Error('no upstream in this test'));

function request(cloud: RunCloud, selected: ImageDefinition[], more: Partial<RunRequest> = {}): RunRequest {
  return { cloud, selected, options, fetch: noFetch, now: new Date('2025-06-15T12:00:00Z'), purpose: 'run', ...more };
}

describe('prepareRun: observe, discover, plan, the same for a run, --dry-run and status', () => {
  const d = def({ versions: ['20240101', '20240201'], meta: { uuid_validity: '2025-01-01' } });
  const present = applyToCloud(run(d, []), []);

  it("plans with the caller's clock: a date-valued uuid_validity has passed or not by `now`", async () => {
    const deleting = { ...options, delete: true };
    const { cloud } = fakeCloud(present);
    const before = await prepareRun(request(cloud, [d], { options: deleting, now: new Date('2024-12-31T23:00:00Z') }));
    const after = await prepareRun(request(cloud, [d], { options: deleting }));
    expect(before.planOptions.today).toBe('2024-12-31');
    expect(before.plan.actions).toEqual([]);
    expect(after.plan.actions.map((action) => action.kind)).toEqual(['delete']);
    expect(after.plan.definitions[0]?.versions[0]?.decisions[0]?.reason).toMatchObject({ kind: 'expired' });
  });

  it('tells the caller what it observed, then what the upstreams said, before it plans', async () => {
    const { cloud } = fakeCloud(present);
    const told: string[] = [];
    const report = {
      observed: ({ images }: { images: GlanceImage[] }) => told.push(`observed ${images.length}`),
      discovered: ({ definitions }: { definitions: ImageDefinition[] }) => told.push(`planning ${definitions.length}`),
    };
    const prepared = await prepareRun(request(cloud, [d], { report }));
    expect(told).toEqual(['observed 2', 'planning 1']);
    expect(prepared.observation.images).toEqual(present);
  });

  it('a run asks Glance for names only when the plan gives one out; status always, and names every collision', async () => {
    const namesake = stranger('Ubuntu 24.04', { id: 'hand-1' });
    const forRun = fakeCloud(present, [namesake]);
    const prepared = await prepareRun(request(forRun.cloud, [d]));
    expect([forRun.nameQueries, prepared.unmanagedNamed]).toEqual([[], []]);
    const forStatus = fakeCloud(present, [namesake]);
    const view = await readStatus(request(forStatus.cloud, [d]), { cloud: 'test', all: [d] });
    expect(forStatus.nameQueries).toHaveLength(1);
    expect(view.collisions.map((collision) => collision.image.id)).toEqual(['hand-1']);
  });

  it('--check-age warns in a run, not in status; status accounts for images of definitions not selected', async () => {
    const old = glanceImage(d, '20240101', { image_build_date: '2020-01-01' });
    const other = def({ name: 'Debian 12', versions: ['12.1'], meta: { os_distro: 'debian' } });
    const theirs = glanceImage(other, '12.1');
    const { cloud } = fakeCloud([old, theirs]);
    const checking = { ...options, checkAge: true };
    const prepared = await prepareRun(request(cloud, [d], { options: checking }));
    expect(prepared.plan.notes.map((note) => note.message)).toContainEqual(expect.stringMatching(/--max-age 90$/));
    const view = await readStatus(request(cloud, [d], { options: checking }), { cloud: 'test', all: [d] });
    expect(view.definitions[0]?.notes.map((note) => note.message)).not.toContainEqual(expect.stringMatching(/max-age/));
    expect(view.unaccounted.map((image) => image.id)).toEqual([theirs.id]);
    const accounted = await readStatus(request(cloud, [d]), { cloud: 'test', all: [d, other] });
    expect(accounted.unaccounted).toEqual([]);
  });
});
