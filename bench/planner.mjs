// Planner throughput and memory on a large synthetic cloud: node bench/planner.mjs [definitions] [versions]
// Needs the build (npm ci builds; else npm run build).
import { plan } from '../dist/plan/plan.js';

const definitions = Number(process.argv[2] ?? 200);
const versionsPer = Number(process.argv[3] ?? 10);
const tag = 'managed_by_osism';

const defs = [];
const observed = [];
let id = 0;
for (let d = 0; d < definitions; d++) {
  const name = `Distro ${d}`;
  const versions = Array.from({ length: versionsPer }, (_, v) => ({
    line: 1,
    version: `2025${String(v + 1).padStart(2, '0')}01`,
    url: `https://images.example/${d}/${v}.qcow2`,
    build_date: `2025-${String(v + 1).padStart(2, '0')}-01`,
    meta: {},
  }));
  const def = {
    file: 'bench.yml',
    line: 1,
    name,
    enable: true,
    format: 'qcow2',
    login: 'user',
    min_disk: 8,
    min_ram: 512,
    multi: true,
    keep: false,
    status: 'active',
    separator: ' ',
    tags: [],
    visibility: 'public',
    meta: {
      architecture: 'x86_64',
      hw_disk_bus: 'scsi',
      hypervisor_type: 'qemu',
      os_distro: `distro${d}`,
      os_version: '1',
      os_purpose: 'generic',
      replace_frequency: 'monthly',
      uuid_validity: 'last-3',
      provided_until: 'none',
    },
    versions,
  };
  defs.push(def);
  // Every version but the newest is in the cloud already, as the tool wrote it: the newest is to import.
  for (const v of versions.slice(0, -1)) {
    observed.push({
      id: `00000000-0000-0000-0000-${String(++id).padStart(12, '0')}`,
      name: `${name} (${v.version})`,
      status: 'active',
      visibility: 'public',
      protected: false,
      os_hidden: false,
      tags: [tag, `os:distro${d}`],
      min_disk: 8,
      min_ram: 512,
      disk_format: 'qcow2',
      container_format: 'bare',
      size: 2 ** 30,
      virtual_size: 2 ** 31,
      checksum: null,
      os_hash_algo: 'sha512',
      os_hash_value: 'x',
      owner: 'p',
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      image_name: name,
      internal_version: v.version,
    });
  }
}

const options = {
  tag,
  latest: false,
  hide: true,
  useOsHidden: false,
  deactivate: false,
  delete: true,
  keep: false,
  today: '2026-11-26',
};
const input = { definitions: defs, observed, projectId: 'p', options };
plan(input); // warm-up
const rounds = 20;
const heapBefore = process.memoryUsage().heapUsed;
const started = process.hrtime.bigint();
let actions = 0;
for (let i = 0; i < rounds; i++) actions = plan(input).actions.length;
const ms = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
const rssMiB = process.memoryUsage().rss / 2 ** 20;
console.log(
  JSON.stringify({
    definitions,
    versionsPer,
    observedImages: observed.length,
    actions,
    msPerPlan: Number(ms.toFixed(1)),
    rssMiB: Number(rssMiB.toFixed(1)),
    heapDeltaMiB: Number(((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(1)),
  }),
);
