import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ManageOptions, manage } from '../../../src/cli/commands/manage.js';
import type { CloudContext } from '../../../src/cli/context.js';
import { FakeClock } from '../net/fake-clock.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { FetchLike } from '../../../src/net/fetch.js';
import type { GlanceImage, ListFilters } from '../../../src/openstack/image.js';
import { planOptionsOf } from '../../../src/run/options.js';
import { applyToCloud, def, PROJECT, run, stranger, TAG, TODAY } from '../plan/helpers.js';

/** A cloud that answers what manage asks (dry run: nothing is written), recording the name queries. */
function fakeCloud(managed: GlanceImage[], unmanaged: GlanceImage[]) {
  const nameQueries: string[] = [];
  const glance = {
    listAllImages: async () => managed,
    importInfo: async () => ({ methods: ['web-download', 'glance-direct'] }),
    listImages: async (filters: ListFilters = {}) => {
      nameQueries.push(String(filters.name));
      const names = String(filters.name).slice('in:'.length).split(',');
      return unmanaged.filter((image) => names.includes(`"${image.name}"`));
    },
  };
  const session = { currentToken: async () => ({ projectId: PROJECT, roles: [] }) };
  const context = { cloud: { name: 'test' }, glance, session, clock: new FakeClock() } as unknown as CloudContext;
  return { context, nameQueries };
}

const options = {
  images: undefined,
  filter: undefined,
  latest: false,
  force: false,
  tag: TAG,
  dryRun: true,
  wait: true,
  hide: false,
  hiddenVisibility: undefined,
  unhide: false,
  useOsHidden: false,
  deactivate: false,
  delete: false,
  keep: false,
  parallel: 1,
  maxImporting: 16,
  stuckRetry: 0,
  stuckAfter: 600,
  importTimeout: 1800,
  maxUnpackedSize: 64,
  prefetch: 'on-stuck',
  verifyChecksum: false,
  allowLocalFiles: [],
  propertyQuota: 128,
  update: false,
  checkAge: false,
  maxAge: 90,
  scsVersion: 'v2',
  check: true,
  checkOnly: false,
  output: 'text',
  progress: true,
  timeout: 60,
  retryBudget: 120,
} satisfies ManageOptions;

const noFetch: FetchLike = () => Promise.reject(new Error('no upstream in this test'));
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

async function dryRun(definitions: ImageDefinition[], managed: GlanceImage[], unmanaged: GlanceImage[]) {
  const { context, nameQueries } = fakeCloud(managed, unmanaged);
  const selection = { all: definitions, selected: definitions };
  const result = await manage(context, selection, options, log, new PassThrough(), { fetch: noFetch });
  return { plan: result.plan, nameQueries };
}

describe('manage: images of the names the plan gives out (rule 12), asked for only when it gives one out', () => {
  const d = def({ versions: ['20240101', '20240201'] });
  const present = applyToCloud(run(d, []), []);

  it('with nothing to do, asks Glance for no names (the run stays at its observing requests)', async () => {
    const { plan, nameQueries } = await dryRun([d], present, [stranger('Ubuntu 24.04', { id: 'hand-1' })]);
    expect(plan.actions).toEqual([]);
    expect(nameQueries).toEqual([]);
  });

  it('with an import, asks for every name the definitions publish and warns about an unmanaged namesake', async () => {
    const newer = def({ versions: ['20240101', '20240201', '20240301'] });
    const { plan, nameQueries } = await dryRun([newer], present, [stranger('Ubuntu 24.04', { id: 'hand-1' })]);
    expect(plan.actions.map((action) => action.kind)).toContain('import');
    expect(nameQueries).toHaveLength(1);
    expect(nameQueries[0]).toContain('"Ubuntu 24.04 (20240301)"');
    expect(plan.notes.map((note) => note.message)).toContain(
      'image hand-1 (not managed) is also called Ubuntu 24.04: users see two',
    );
  });

  it('with a rename and no import, asks for the names too', async () => {
    const older = def({ versions: ['20240101'] }); // 20240101 takes the plain name back from 20240201
    const { plan, nameQueries } = await dryRun([older], present, [stranger('Ubuntu 24.04', { id: 'hand-1' })]);
    expect(plan.actions.map((action) => action.kind)).not.toContain('import');
    expect(plan.actions.map((action) => action.kind)).toContain('rename');
    expect(nameQueries).toHaveLength(1);
  });
});

describe('manage: every flag that shapes a plan reaches the planner', () => {
  it.each([
    ['latest', 'latest'],
    ['hide', 'hide'],
    ['unhide', 'unhide'],
    ['useOsHidden', 'useOsHidden'],
    ['deactivate', 'deactivate'],
    ['delete', 'delete'],
    ['keep', 'keep'],
  ] as const)('--%s', (flag, planKey) => {
    expect(planOptionsOf({ ...options, [flag]: false }, TODAY)[planKey]).toBe(false);
    expect(planOptionsOf({ ...options, [flag]: true }, TODAY)[planKey]).toBe(true);
  });

  it('--hidden-visibility, --outdated-names and --tag', () => {
    const planOptions = planOptionsOf(
      {
        ...options,
        hiddenVisibility: 'private',
        outdatedNames: 'scs',
        tag: 'mine',
      },
      TODAY,
    );
    expect(planOptions).toMatchObject({ hiddenVisibility: 'private', outdatedNames: 'scs', tag: 'mine', today: TODAY });
  });

  it('--mirror-base reaches the plan', () => {
    const base = 'https://swift.example/v1/AUTH_p/images';
    expect(planOptionsOf({ ...options, mirrorBase: base }, TODAY).mirrorBase).toBe(base);
    expect(planOptionsOf(options, TODAY)).not.toHaveProperty('mirrorBase');
  });
});
