// Planner throughput and memory on a large synthetic cloud: node bench/planner.mjs [definitions] [versions]
// Needs the build (npm ci builds; else npm run build; IM_DIST=dir to use another one).
//
// Each definition lists `versions` versions; every one but the newest is in the cloud already (9,000 images for
// 1000 10), tagged and with its identity properties but none of the others, so that every image kept is updated
// and every image deleted has a full fallback (the most the planner writes); the newest is imported. --hide
// --delete, uuid_validity last-3. One plan to warm up, then `rounds` plans, timed.
//
// peakRssMiB is the peak resident memory (getrusage maxRSS, as /usr/bin/time -v reports it) of a process that
// builds the data set and plans once, as a run of the CLI does: a child of this one (`--once`). The timing
// process plans 21 times; its own peak (timingPeakRssMiB) mostly measures how much garbage V8 lets pile up
// before its first full collection (about 80 MB of old generation), and grows with the rounds up to that;
// rssMiB is its resident memory at the end.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = (process.env.IM_DIST ?? new URL('../dist', import.meta.url).pathname).replace(/\/+$/, '');
const { plan } = await import(`${dist}/plan/plan.js`);

const once = process.argv.includes('--once');
const [definitionsArg, versionsArg] = process.argv.slice(2).filter((arg) => arg !== '--once');
const definitions = Number(definitionsArg ?? 200);
const versionsPer = Number(versionsArg ?? 10);
const rounds = 20;
const tag = 'managed_by_osism';

// The data set as parsed JSON would hold it: every string flat (a template literal makes a chain of parts that
// is copied flat on first use: two copies), and a value all definitions share made once.
const flat = (...parts) => parts.join('');
const versionStrings = Array.from({ length: versionsPer }, (_, v) => {
  const month = String(v + 1).padStart(2, '0');
  return { version: flat('2025', month, '01'), build_date: flat('2025-', month, '-01') };
});
const NO_META = Object.freeze({});

const defs = [];
const observed = [];
let id = 0;
for (let d = 0; d < definitions; d++) {
  const name = flat('Distro ', d);
  const distro = flat('distro', d);
  const versions = versionStrings.map(({ version, build_date }, v) => ({
    line: 1,
    version,
    url: flat('https://images.example/', d, '/', v, '.qcow2'),
    build_date,
    meta: NO_META,
  }));
  defs.push({
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
      os_distro: distro,
      os_version: '1',
      os_purpose: 'generic',
      replace_frequency: 'monthly',
      uuid_validity: 'last-3',
      provided_until: 'none',
    },
    versions,
  });
  const tags = [tag, flat('os:', distro)];
  for (const { version } of versions.slice(0, -1)) {
    observed.push({
      id: flat('00000000-0000-0000-0000-', String(++id).padStart(12, '0')),
      name: flat(name, ' (', version, ')'),
      status: 'active',
      visibility: 'public',
      protected: false,
      os_hidden: false,
      tags: [...tags],
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
      internal_version: version,
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
const MiB = 2 ** 20;
// maxRSS is in KiB.
const peakRssMiB = () => Number(((process.resourceUsage().maxRSS * 1024) / MiB).toFixed(1));
if (once) {
  const { actions } = plan(input);
  console.log(JSON.stringify({ actions: actions.length, peakRssMiB: peakRssMiB() }));
  process.exit(0);
}
plan(input); // warm-up
const times = [];
let actions = 0;
for (let i = 0; i < rounds; i++) {
  const started = process.hrtime.bigint();
  actions = plan(input).actions.length;
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
const mean = times.reduce((sum, ms) => sum + ms, 0) / rounds;
const median = [...times].sort((a, b) => a - b)[Math.floor(rounds / 2)];
const onePlan = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(definitions), String(versionsPer), '--once'], {
    encoding: 'utf8',
  }),
);
console.log(
  JSON.stringify({
    definitions,
    versionsPer,
    observedImages: observed.length,
    actions,
    msPerPlan: Number(mean.toFixed(1)),
    msPerPlanMedian: Number(median.toFixed(1)),
    peakRssMiB: onePlan.peakRssMiB,
    timingPeakRssMiB: peakRssMiB(),
    rssMiB: Number((process.memoryUsage().rss / MiB).toFixed(1)),
  }),
);
