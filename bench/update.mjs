// One `image-manager update` over the shipped catalogue's upstream layouts, served from 127.0.0.1:
// node bench/update.mjs   (no arguments; needs the build: npm ci builds, else npm run build)
//
// Copies images/ to a temp dir and points every latest_url, latest_checksum_url and url there at
// http://127.0.0.1:PORT/HOST/…, then serves, from a second temp dir, a tree that imitates each upstream as it
// publishes: Ubuntu's and Debian's parent folders with 60 dated build folders (Apache autoindex, one nginx),
// each with its SHA256SUMS/SHA512SUMS; AlmaLinux's, CentOS Stream's and Rocky's folder-wide CHECKSUM
// (GNU, BSD, BSD) with a few hundred lines; Fedora's clearsigned CHECKSUM behind a mirror redirect; Garden
// Linux's GitHub releases feed (JSON). Every rolling distribution, and Garden Linux, has exactly one build newer
// than the catalogue; Fedora has none.
// Runs `update --dry-run` (no file may change), `update` (writes the new builds) and `update` again (nothing
// new), then `--check-only` on the result; prints per definition the layout, requests and status of each run,
// the wall times and the server's request counts. Exits 1 if a definition failed, a pin (URL, checksum,
// version, build_date) differs from the build served, the dry run or the second run changed a file, or the
// updated catalogue does not validate.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (isMainThread) await main();
else serve(workerData.www);

// ---------------------------------------------------------------------------------------------------------
// The upstream server. It runs in a worker thread: spawnSync blocks the main thread while the CLI runs.

function serve(www) {
  const counts = new Map();
  const server = http.createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      path = req.url;
    }
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    // download.fedoraproject.org is MirrorManager: it redirects every file to a mirror.
    if (path.startsWith('/download.fedoraproject.org/')) {
      res.writeHead(302, { Location: `/dl.fedoraproject.org/${path.slice('/download.fedoraproject.org/'.length)}` });
      return res.end();
    }
    const file = resolve(www, `.${path}`);
    if (file !== www && !file.startsWith(www + sep)) return notFound(res);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return notFound(res);
    }
    if (stat.isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: `${path}/` });
        return res.end();
      }
      const index = join(file, 'index.html');
      const body = existsSync(index) ? readFileSync(index) : Buffer.from(autoindex(path, file));
      return send(req, res, body, 'text/html;charset=UTF-8', existsSync(index) ? statSync(index).mtime : stat.mtime);
    }
    send(req, res, readFileSync(file), file.endsWith('.html') ? 'text/html' : 'text/plain', stat.mtime);
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on('message', (message) => {
    if (message === 'counts') {
      parentPort.postMessage({ counts: Object.fromEntries(counts) });
      counts.clear();
    } else if (message === 'stop') {
      server.close();
      server.closeAllConnections();
      parentPort.close();
    }
  });
}

function send(req, res, body, type, mtime) {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Last-Modified': mtime.toUTCString() });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('Not Found\n');
}

/** Apache's plain autoindex, for folders without a hand-made page (build folders, aliases). */
function autoindex(path, dir) {
  const rows = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'index.html')
    .map((entry) => {
      const name = entry.isDirectory() ? `${entry.name}/` : entry.name;
      const stat = statSync(join(dir, entry.name));
      return `<tr><td><a href="${name}">${name}</a></td><td align="right">${apacheDate(stat.mtime)}  </td><td align="right">${entry.isDirectory() ? '  - ' : stat.size}</td></tr>`;
    });
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n  <title>Index of ${path.replace(/\/$/, '')}</title>\n </head>\n <body>\n<h1>Index of ${path.replace(/\/$/, '')}</h1>\n<table>\n<tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th></tr>\n<tr><td><a href="../">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td></tr>\n${rows.join('\n')}\n</table>\n</body></html>\n`;
}

// ---------------------------------------------------------------------------------------------------------
// The benchmark.

async function main() {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) {
    console.error('bench/update.mjs needs the build: npm run build');
    process.exit(2);
  }
  const { loadDefinitions } = await import(join(repo, 'dist', 'definitions', 'load.js'));
  const root = mkdtempSync(join(tmpdir(), 'image-manager-bench-update-'));
  const catalogue = join(root, 'images');
  const www = join(root, 'www');
  const failed = [];
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { www } });
  try {
    // dereference: a symlinked images/ must be copied, never rewritten in place.
    cpSync(join(repo, 'images'), catalogue, { recursive: true, dereference: true });
    if (!realpathSync(catalogue).startsWith(realpathSync(root) + sep)) throw new Error(`${catalogue} is not a copy`);
    const shipped = new Map(loadDefinitions(catalogue).definitions.map((def) => [def.name, def.versions.at(-1)]));
    const expected = buildUpstreams(www, shipped);

    const port = await new Promise((done, fail) => {
      worker.once('message', (message) => done(message.port));
      worker.once('error', fail);
    });
    const local = `http://127.0.0.1:${port}`;
    for (const file of yamlFiles(catalogue)) {
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        text.replace(
          /^(\s*(?:-\s+)?(?:latest_url|latest_checksum_url|url):[ \t]*(?:\n[ \t]*)?)https:\/\/([^/\s]+)\//gm,
          `$1${local}/$2/`,
        ),
      );
    }
    const localize = (url) => url.replace(/^https:\/\/([^/]+)\//, `${local}/$1/`);
    localizeFeeds(www, localize);
    const counts = () =>
      new Promise((done) => {
        worker.once('message', (message) => done(message.counts));
        worker.postMessage('counts');
      });

    const runs = [];
    const asked = {};
    for (const label of ['dry run', 'run 1', 'run 2']) {
      const before = snapshot(catalogue);
      const args = [
        'bin/image-manager.js',
        'update',
        '--images',
        catalogue,
        '--output',
        'json',
        ...(label === 'dry run' ? ['--dry-run'] : []),
      ];
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const served = await counts();
      for (const [key, n] of Object.entries(served)) asked[key] = (asked[key] ?? 0) + n;
      let report;
      try {
        report = JSON.parse(result.stdout);
      } catch {
        console.error(`${label}: no JSON on stdout (exit ${result.status})\n${result.stderr}`);
        process.exitCode = 1;
        return;
      }
      const changedFiles = diffSnapshots(before, snapshot(catalogue));
      runs.push({ label, seconds, exit: result.status, report, served, changedFiles, stderr: result.stderr });
    }

    // What each run must have done.
    const [dry, first, second] = runs;
    for (const run of runs) {
      if (run.exit !== 0) failed.push(`${run.label}: exit ${run.exit}`);
      for (const def of run.report.definitions) {
        if (def.status === 'failed') failed.push(`${run.label}: ${def.name} failed: ${def.error}`);
      }
    }
    if (dry.changedFiles.length > 0) failed.push(`dry run changed ${dry.changedFiles.join(', ')}`);
    if (second.changedFiles.length > 0) failed.push(`run 2 changed ${second.changedFiles.join(', ')}`);
    for (const def of second.report.definitions) {
      if (def.changed || def.status !== 'current')
        failed.push(`run 2: ${def.name} is ${def.status}${def.changed ? ', changed' : ''}`);
    }
    for (const [name, want] of expected) {
      for (const run of [dry, first]) {
        const got = run.report.definitions.find((def) => def.name === name);
        if (got === undefined) {
          failed.push(`${run.label}: ${name} was not asked`);
          continue;
        }
        const problems = [];
        if (got.status !== want.status) problems.push(`status ${got.status}, not ${want.status}`);
        if (got.layout !== want.layout) problems.push(`layout ${got.layout}, not ${want.layout}`);
        if (got.upstream?.url !== localize(want.url))
          problems.push(`pinned ${got.upstream?.url}, not ${localize(want.url)}`);
        if (got.upstream?.checksum !== want.checksum)
          problems.push(`checksum ${got.upstream?.checksum}, not ${want.checksum}`);
        if (got.upstream?.version !== want.version)
          problems.push(`version ${got.upstream?.version}, not ${want.version}`);
        if (run === first && got.changed !== (want.status === 'new')) problems.push(`changed ${got.changed}`);
        if (run === first && want.status === 'new') {
          const text = readFileSync(got.file, 'utf8');
          const day = want.day ?? `${want.version.slice(0, 4)}-${want.version.slice(4, 6)}-${want.version.slice(6)}`;
          if (!text.includes(`url: ${localize(want.url)}\n`) || !text.includes(`build_date: ${day}\n`))
            problems.push(`${got.file} lacks the url or build_date ${day}`);
        }
        if (problems.length > 0) failed.push(`${run.label}: ${name}: ${problems.join('; ')}`);
      }
    }
    const check = spawnSync(process.execPath, ['bin/image-manager.js', '--check-only', '--images', catalogue], {
      cwd: repo,
      encoding: 'utf8',
    });
    await counts();
    if (check.status !== 0) failed.push(`--check-only on the updated catalogue: exit ${check.status}\n${check.stderr}`);

    printTable(runs, expected, asked);
    if (failed.length > 0) {
      console.log(`\nFAILED:\n${failed.map((line) => `  ${line}`).join('\n')}`);
      for (const run of runs) if (run.exit !== 0) console.log(`\n${run.label} stderr:\n${run.stderr}`);
      process.exitCode = 1;
    }
  } finally {
    worker.postMessage('stop');
    rmSync(root, { recursive: true, force: true });
  }
}

function printTable(runs, expected, asked) {
  const [dry, first, second] = runs;
  const rows = dry.report.definitions.map((def) => {
    const cell = (run) => {
      const got = run.report.definitions.find((entry) => entry.name === def.name);
      return `${String(got?.requests ?? '-').padStart(2)} ${got?.status ?? 'absent'}${got?.changed ? '*' : ''}`;
    };
    const written = first.report.definitions.find((entry) => entry.name === def.name);
    const from = written?.current?.version ?? '-';
    const to = written?.status === 'new' ? written.upstream.version : from;
    return [
      def.name,
      def.layout ?? '-',
      cell(dry),
      cell(first),
      cell(second),
      from === to ? `${from} (current)` : `${from} -> ${to}`,
    ];
  });
  const head = ['definition', 'layout', 'dry run: req status', 'run 1: req status', 'run 2: req status', 'version'];
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(`update over ${rows.length} definitions (${expected.size} with a served upstream); * = file written`);
  console.log(line(head));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const run of runs) {
    const cli = run.report.definitions.reduce((sum, def) => sum + def.requests, 0);
    const server = Object.values(run.served).reduce((sum, n) => sum + n, 0);
    const files = run.report.files.filter((file) => file.changed).length;
    console.log(
      `${run.label.padEnd(8)} ${run.seconds.toFixed(2).padStart(5)} s wall   ${String(cli).padStart(2)} requests by the CLI, ${String(server).padStart(2)} at the server   exit ${run.exit}   files written: ${files}${run.changedFiles.length ? ` (${run.changedFiles.join(', ')})` : ''}`,
    );
  }
  const total = Object.values(asked).reduce((sum, n) => sum + n, 0);
  const most = Math.max(...Object.values(asked));
  console.log(
    `server: ${total} requests in the three runs, ${Object.keys(asked).length} distinct (method, path), at most ${most} of one`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// The upstream tree. Each builder writes its host's files under www/HOST/ and returns what `update` must find.

function buildUpstreams(www, shipped) {
  const expected = new Map();
  const add = (name, want) => expected.set(name, want);
  add(
    'Ubuntu 24.04',
    ubuntu(www, shipped.get('Ubuntu 24.04'), { codename: 'noble', release: '24.04', newest: '20261112' }),
  );
  add(
    'Ubuntu 22.04',
    ubuntu(www, shipped.get('Ubuntu 22.04'), { codename: 'jammy', release: '22.04', newest: '20261110' }),
  );
  add(
    'Debian 12',
    debian(www, shipped.get('Debian 12'), { codename: 'bookworm', release: '12', newest: '20261027', style: 'apache' }),
  );
  add(
    'Debian 13',
    debian(www, shipped.get('Debian 13'), { codename: 'trixie', release: '13', newest: '20261027', style: 'nginx' }),
  );
  add('AlmaLinux 9', almalinux(www, shipped.get('AlmaLinux 9'), { newest: '20261119' }));
  add('CentOS Stream 9', centos(www, shipped.get('CentOS Stream 9'), { newest: '20261124' }));
  add('Rocky 9', rocky(www, shipped.get('Rocky 9'), { newest: '20261118' }));
  add('Fedora 44', fedora(www, shipped.get('Fedora 44')));
  add('Garden Linux', gardenlinux(www, shipped.get('Garden Linux'), { newest: '1877.11', published: '20261121' }));
  return expected;
}

/**
 * GitHub's releases feed of Garden Linux (`?per_page=100`, newest created first): the shipped 1877.10, a newer
 * 1877.11 with GitHub's digest of its asset, a 1592 maintenance release published after it (another line), a
 * draft and a prerelease; 40 older releases with a dozen assets each. Asset URLs are written as GitHub's and
 * pointed at the local server once its port is known (`localizeFeeds`).
 */
function gardenlinux(www, current, { newest, published }) {
  const asset = (version) => `openstack-gardener_prod-amd64-${version}-${digest('sha256', version).slice(0, 8)}.tar.xz`;
  const release = (tag, day, flags = {}) => ({
    tag_name: tag,
    name: tag,
    draft: false,
    prerelease: false,
    published_at: `${isoDate(day)}T09:41:07Z`,
    assets: ['openstack', 'aws', 'gcp', 'azure', 'kvm', 'metal'].flatMap((platform) =>
      ['amd64', 'arm64'].map((arch) => {
        const name =
          platform === 'openstack' && arch === 'amd64' ? asset(tag) : `${platform}-gardener_prod-${arch}-${tag}.tar.xz`;
        return {
          name,
          browser_download_url: `https://github.com/gardenlinux/gardenlinux/releases/download/${tag}/${name}`,
          size: size(name),
          digest: `sha256:${digest('sha256', name)}`,
        };
      }),
    ),
    ...flags,
  });
  const shippedDay = current.build_date.replaceAll('-', '');
  const older = Array.from({ length: 40 }, (_, i) =>
    release(`1877.${i < 9 ? i + 1 : 0}.${i}`, shift(shippedDay, -(40 - i) * 5)),
  );
  const feed = [
    release('1877.12', shift(published, 3), { draft: true, published_at: null }),
    release('2000.0.0-rc1', shift(published, 2), { prerelease: true }),
    release('1592.17', shift(published, 1)),
    release(newest, published),
    release('1877.10', shippedDay),
    ...older.reverse(),
  ];
  put(`${www}/api.github.com/repos/gardenlinux/gardenlinux/releases`, JSON.stringify(feed, null, 2), published, 10);
  const name = asset(newest);
  return {
    status: 'new',
    layout: 'release-feed',
    version: newest,
    day: isoDate(published),
    url: `https://github.com/gardenlinux/gardenlinux/releases/download/${newest}/${name}`,
    checksum: `sha256:${digest('sha256', name)}`,
  };
}

/** A feed's asset URLs (GitHub's) pointed at the local server. */
function localizeFeeds(www, localize) {
  const file = `${www}/api.github.com/repos/gardenlinux/gardenlinux/releases`;
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('https://github.com/', localize('https://github.com/')));
}

function ubuntu(www, current, { codename, release, newest }) {
  const host = 'cloud-images.ubuntu.com';
  const parent = `releases/${codename}`;
  const target = `ubuntu-${release}-server-cloudimg-amd64.img`;
  const shippedDate = /release-(\d{8})\//.exec(current.url)[1];
  const dates = [...before(shippedDate, 58, 11), shippedDate, newest];
  const arches = ['amd64', 'arm64', 'armhf', 'ppc64el', 'riscv64', 's390x'];
  const kinds = ['.img', '.manifest', '.tar.gz', '-root.tar.xz', '-lxd.tar.xz', '.squashfs', '.squashfs.manifest'];
  const sums = (date) => {
    const names = arches.flatMap((arch) => kinds.map((kind) => `ubuntu-${release}-server-cloudimg-${arch}${kind}`));
    names.push(
      `ubuntu-${release}-server-cloudimg-amd64-azure.vhd.tar.gz`,
      `ubuntu-${release}-server-cloudimg-amd64-disk-kvm.img`,
      `ubuntu-${release}-server-cloudimg-amd64-vagrant.box`,
    );
    names.push(
      ...arches.map((arch) => `ubuntu-${release}-server-cloudimg-${arch}.release.${date}.${date}.image_changelog.json`),
    );
    const digestOf = (name) =>
      date === shippedDate && name === target
        ? current.checksum.hex
        : digest('sha256', `${host}/${parent}/${date}/${name}`);
    return sortedLines(names.map((name) => `${digestOf(name)} *${name}`));
  };
  for (const date of dates) {
    const folder = `${www}/${host}/${parent}/release-${date}`;
    put(`${folder}/SHA256SUMS`, sums(date), date, 2);
    put(`${folder}/${target}`, '', date, 1);
  }
  put(`${www}/${host}/${parent}/release/SHA256SUMS`, sums(newest), newest, 2);
  put(`${www}/${host}/${parent}/release/${target}`, '', newest, 1);
  const folders = [
    ...dates.map((date) => ({ name: `release-${date}/`, date, hour: 2 })),
    { name: 'release/', date: newest, hour: 2 },
  ];
  put(`${www}/${host}/${parent}/index.html`, ubuntuPage(release, codename, folders), newest, 2);
  const digestLine = sums(newest)
    .split('\n')
    .find((line) => line.endsWith(` *${target}`));
  return {
    status: 'new',
    layout: 'dated-folders',
    version: newest,
    url: `https://${host}/${parent}/release-${newest}/${target}`,
    checksum: `sha256:${digestLine.split(' ')[0]}`,
  };
}

function debian(www, current, { codename, release, newest, style }) {
  const host = 'cloud.debian.org';
  const parent = `images/cloud/${codename}`;
  const [, shippedDate, shippedSerial] = /\/(\d{8})-(\d+)\//.exec(current.url);
  // The cloud team's build serial counts up about once a day, across releases.
  const serialOf = (date) => Number(shippedSerial) + days(shippedDate, date);
  const dates = [...before(shippedDate, 58, 7), shippedDate, newest];
  const files = (stamp) => {
    const names = [];
    for (const arch of ['amd64', 'arm64']) {
      for (const variant of ['azure', 'ec2'])
        for (const ext of ['json', 'tar.xz']) names.push(`debian-${release}-${variant}-${arch}${stamp}.${ext}`);
      for (const variant of ['generic', 'genericcloud', 'nocloud'])
        for (const ext of ['json', 'qcow2', 'raw', 'tar.xz'])
          names.push(`debian-${release}-${variant}-${arch}${stamp}.${ext}`);
    }
    for (const variant of ['generic', 'nocloud'])
      for (const ext of ['json', 'qcow2', 'raw', 'tar.xz'])
        names.push(`debian-${release}-${variant}-ppc64el${stamp}.${ext}`);
    return names.sort();
  };
  const target = (stamp) => `debian-${release}-genericcloud-amd64${stamp}.qcow2`;
  const sums = (date, stamp) => {
    const digestOf = (name) =>
      date === shippedDate && name === target(stamp)
        ? current.checksum.hex
        : digest('sha512', `${host}/${parent}/${date}/${name.replace(stamp, '')}`);
    return `${files(stamp)
      .map((name) => `${digestOf(name)}  ${name}`)
      .join('\n')}\n`;
  };
  for (const date of dates) {
    const stamp = `-${date}-${serialOf(date)}`;
    const folder = `${www}/${host}/${parent}/${date}-${serialOf(date)}`;
    put(`${folder}/SHA512SUMS`, sums(date, stamp), date, 9);
    put(`${folder}/${target(stamp)}`, '', date, 8);
  }
  put(`${www}/${host}/${parent}/latest/SHA512SUMS`, sums(newest, ''), newest, 9);
  put(`${www}/${host}/${parent}/latest/${target('')}`, '', newest, 8);
  mkdirSync(`${www}/${host}/${parent}/daily`, { recursive: true });
  const folders = [
    ...dates.map((date) => ({ name: `${date}-${serialOf(date)}/`, date, hour: 8 })),
    { name: 'daily/', date: newest, hour: 23 },
    { name: 'latest/', date: newest, hour: 9 },
  ];
  put(`${www}/${host}/${parent}/index.html`, listing(`/${parent}`, folders, style, '/images/cloud/'), newest, 9);
  const stamp = `-${newest}-${serialOf(newest)}`;
  const digestLine = sums(newest, stamp)
    .split('\n')
    .find((line) => line.endsWith(`  ${target(stamp)}`));
  return {
    status: 'new',
    layout: 'dated-folders',
    version: newest,
    url: `https://${host}/${parent}/${newest}-${serialOf(newest)}/${target(stamp)}`,
    checksum: `sha512:${digestLine.split(' ')[0]}`,
  };
}

function almalinux(www, current, { newest }) {
  const dir = `${www}/repo.almalinux.org/almalinux/9/cloud/x86_64/images`;
  const shippedDate = /-(\d{8})\.x86_64/.exec(current.url)[1];
  const dates = [...before(shippedDate, 24, 7), shippedDate, newest];
  const minor = (date) => (date >= '20261118' ? '9.9' : date >= '20260526' ? '9.8' : '9.7');
  const variants = [
    ['GenericCloud', 'qcow2'],
    ['GenericCloud-ext4', 'qcow2'],
    ['OpenNebula', 'qcow2'],
    ['Azure', 'raw.xz'],
    ['Vagrant-libvirt', 'box'],
    ['Vagrant-virtualbox', 'box'],
    ['Vagrant-vmware', 'box'],
    ['Vagrant-hyperv', 'box'],
  ];
  const entries = [];
  for (const date of dates) {
    for (const [variant, ext] of variants) {
      const name = `AlmaLinux-9-${variant}-${minor(date)}-${date}.x86_64.${ext}`;
      const hex = date === shippedDate && variant === 'GenericCloud' ? current.checksum.hex : digest('sha256', name);
      entries.push([name, hex]);
      if (date === newest) entries.push([`AlmaLinux-9-${variant}-latest.x86_64.${ext}`, hex]);
    }
    put(`${dir}/AlmaLinux-9-GenericCloud-${minor(date)}-${date}.x86_64.qcow2`, '', date, 14);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  put(`${dir}/CHECKSUM`, `${entries.map(([name, hex]) => `${hex}  ${name}`).join('\n')}\n`, newest, 15);
  put(`${dir}/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2`, '', newest, 14);
  const name = `AlmaLinux-9-GenericCloud-${minor(newest)}-${newest}.x86_64.qcow2`;
  return {
    status: 'new',
    layout: 'checksum-file',
    version: newest,
    url: `https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/${name}`,
    checksum: `sha256:${entries.find(([entry]) => entry === name)[1]}`,
  };
}

function centos(www, current, { newest }) {
  const dir = `${www}/cloud.centos.org/centos/9-stream/x86_64/images`;
  const [, shippedDate, shippedRespin] = /-9-(\d{8})\.(\d)\.x86_64/.exec(current.url);
  const older = before(shippedDate, 24, 9);
  // Some composes are respun the same day: .1, .2.
  const builds = [
    ...older.map((date, i) => `${date}.${i % 5 === 3 ? 1 : i % 7 === 5 ? 2 : 0}`),
    `${shippedDate}.${shippedRespin}`,
    `${newest}.0`,
  ];
  const variants = [
    ['Container-Base-9', 'x86_64.tar.xz'],
    ['Container-Minimal-9', 'x86_64.tar.xz'],
    ['GenericCloud-9', 'x86_64.qcow2'],
    ['GenericCloud-x86_64-9', 'x86_64.qcow2'],
    ['Vagrant-9', 'x86_64.vagrant-libvirt.box'],
    ['Vagrant-9', 'x86_64.vagrant-virtualbox.box'],
    ['ec2-9', 'x86_64.raw.xz'],
  ];
  const entries = [];
  for (const build of builds) {
    for (const [variant, ext] of variants) {
      const name = `CentOS-Stream-${variant}-${build}.${ext}`;
      const hex =
        build.startsWith(shippedDate) && variant === 'GenericCloud-9' ? current.checksum.hex : digest('sha256', name);
      entries.push([name, hex, size(name)]);
      if (build === `${newest}.0`) entries.push([`CentOS-Stream-${variant}-latest.${ext}`, hex, size(name)]);
    }
  }
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  put(
    `${dir}/CHECKSUM`,
    entries.map(([name, hex, bytes]) => `# ${name}: ${bytes} bytes\nSHA256 (${name}) = ${hex}\n`).join(''),
    newest,
    3,
  );
  const name = `CentOS-Stream-GenericCloud-9-${newest}.0.x86_64.qcow2`;
  put(`${dir}/${name}`, '', newest, 3);
  return {
    status: 'new',
    layout: 'checksum-file',
    version: newest,
    url: `https://cloud.centos.org/centos/9-stream/x86_64/images/${name}`,
    checksum: `sha256:${entries.find(([entry]) => entry === name)[1]}`,
  };
}

function rocky(www, current, { newest }) {
  const dir = `${www}/download.rockylinux.org/pub/rocky/9/images/x86_64`;
  const [, shippedBuild] = /-Base-(9\.\d+-\d{8}\.\d)\.x86_64/.exec(current.url);
  const builds = [`9.7-20251124.0`, shippedBuild, `9.9-${newest}.0`];
  const variants = [
    ['Azure-Base', 'vhd'],
    ['Azure-LVM', 'vhd'],
    ['EC2-Base', 'raw'],
    ['EC2-LVM', 'raw'],
    ['GenericCloud-Base', 'qcow2'],
    ['GenericCloud-LVM', 'qcow2'],
    ['OCP-Base', 'qcow2'],
    ['Vagrant-Libvirt', 'box'],
    ['Vagrant-VBox', 'box'],
    ['Vagrant-VMware', 'box'],
    ['Container-Base', 'tar.xz'],
    ['Container-Minimal', 'tar.xz'],
    ['Container-UBI', 'tar.xz'],
    ['Container-Toolbox', 'tar.xz'],
    ['WSL-Base', 'wsl'],
  ];
  const entries = [];
  for (const build of builds) {
    for (const [variant, ext] of variants) {
      const name = `Rocky-9-${variant}-${build}.x86_64.${ext}`;
      const hex =
        build === shippedBuild && variant === 'GenericCloud-Base' ? current.checksum.hex : digest('sha256', name);
      entries.push([name, hex, size(name)]);
      if (build === builds.at(-1)) {
        entries.push([`Rocky-9-${variant}.latest.x86_64.${ext}`, hex, size(name)]);
        if (variant === 'GenericCloud-Base')
          entries.push([`Rocky-9-GenericCloud.latest.x86_64.${ext}`, hex, size(name)]);
      }
    }
  }
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  put(
    `${dir}/CHECKSUM`,
    entries.map(([name, hex, bytes]) => `# ${name}: ${bytes} bytes\nSHA256 (${name}) = ${hex}\n`).join(''),
    newest,
    11,
  );
  const name = `Rocky-9-GenericCloud-Base-9.9-${newest}.0.x86_64.qcow2`;
  put(`${dir}/${name}`, '', newest, 11);
  return {
    status: 'new',
    layout: 'checksum-file',
    version: newest,
    url: `https://download.rockylinux.org/pub/rocky/9/images/x86_64/${name}`,
    checksum: `sha256:${entries.find(([entry]) => entry === name)[1]}`,
  };
}

function fedora(www, current) {
  // Served by the mirror download.fedoraproject.org redirects to.
  const dir = `${www}/dl.fedoraproject.org/pub/fedora/linux/releases/44/Cloud/x86_64/images`;
  const target = 'Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2';
  const names = [
    'Fedora-Cloud-Base-AmazonEC2-44-1.7.x86_64.raw.xz',
    'Fedora-Cloud-Base-Azure-44-1.7.x86_64.vhdfixed.xz',
    'Fedora-Cloud-Base-GCE-44-1.7.x86_64.tar.gz',
    target,
    'Fedora-Cloud-Base-UEFI-UKI-44-1.7.x86_64.qcow2',
    'Fedora-Cloud-Base-Vagrant-libvirt-44-1.7.x86_64.vagrant.libvirt.box',
    'Fedora-Cloud-Base-Vagrant-VirtualBox-44-1.7.x86_64.vagrant.virtualbox.box',
  ];
  const body = names
    .map(
      (name) =>
        `# ${name}: ${size(name)} bytes\nSHA256 (${name}) = ${name === target ? current.checksum.hex : digest('sha256', name)}\n`,
    )
    .join('');
  const armor = createHash('sha512').update(body).digest('base64');
  const signature = [0, 1, 2, 3, 4].map((i) => (armor + armor).slice(i * 64, i * 64 + 64)).join('\n');
  put(
    `${dir}/Fedora-Cloud-44-1.7-x86_64-CHECKSUM`,
    `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${body}-----BEGIN PGP SIGNATURE-----\n\n${signature}\n=${armor.slice(0, 4)}\n-----END PGP SIGNATURE-----\n`,
    '20260422',
    13,
  );
  put(`${dir}/${target}`, '', '20260422', 13);
  return {
    status: 'current',
    layout: 'checksum-file',
    version: current.version,
    url: `https://download.fedoraproject.org/pub/fedora/linux/releases/44/Cloud/x86_64/images/${target}`,
    checksum: `sha256:${current.checksum.hex}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Index pages as the servers write them.

function ubuntuPage(release, codename, folders) {
  const rows = folders
    .map(
      ({ name, date, hour }) =>
        `<img src="../../cdicons/folder.png" alt="[DIR]" width="22" height="22"> <a href="${name}">${name}</a>${' '.repeat(Math.max(1, 24 - name.length))}${isoDate(date)} ${String(hour).padStart(2, '0')}:27    -   `,
    )
    .join('\n');
  const pretty = codename[0].toUpperCase() + codename.slice(1);
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"
 "http://www.w3.org/TR/html4/strict.dtd">
<html>
 <head>
  <title>Ubuntu Cloud Images</title>
  <script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});})(window,document,'script','dataLayer','GTM-NVMTZ4C');</script>
  <!-- Main style sheets for CSS2 capable browsers -->
  <style type="text/css" media="screen">
  @import url(https://cloud-images.ubuntu.com/include/style.css);
  pre { background: none; }
  </style>
 </head>
 <body><div id="pageWrapper">
<div id="header"><a href="http://www.ubuntu.com/"></a></div>
<div id="main">
<h1>Ubuntu Cloud Images ${release} LTS Release Builds</h1>
<p>For more information, please see the following:</p>
<ul>
<li><a href="http://cloud.ubuntu.com">Ubuntu Cloud Portal</a></li>
<li><a href="https://help.ubuntu.com/community/UEC/Images">Community Help Page</a></li>
</ul>
<h2>Ubuntu Server ${release} LTS (${pretty}) Released Builds</h2>
<pre><img src="/icons/blank.gif" alt="Icon " width="22" height="22"> <a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>      <a href="?C=S;O=A">Size</a>  <a href="?C=D;O=A">Description</a><hr><img src="/icons/back.gif" alt="[PARENTDIR]" width="22" height="22"> <a href="/releases/">Parent Directory</a>                             -   
${rows}
<hr></pre>
</div></div></body></html>
`;
}

/** Apache's fancy-indexing table (cloud.debian.org) or nginx's autoindex (a mirror; CRLF, as nginx sends it). */
function listing(path, folders, style, parent) {
  if (style === 'nginx') {
    const rows = folders.map(
      ({ name, date, hour }) =>
        `<a href="${name}">${name}</a>${' '.repeat(Math.max(1, 51 - name.length))}${nginxDate(date)} ${String(hour).padStart(2, '0')}:41                   -`,
    );
    return [
      `<html>`,
      `<head><title>Index of ${path}/</title></head>`,
      `<body>`,
      `<h1>Index of ${path}/</h1><hr><pre><a href="../">../</a>`,
      ...rows,
      `</pre><hr></body>`,
      `</html>`,
      '',
    ].join('\r\n');
  }
  const rows = folders.map(
    ({ name, date, hour }, i) =>
      `   <tr class="${i % 2 ? 'even' : 'odd'}"><td class="indexcolicon"><a href="${name}"><img src="/icons2/folder.png" alt="[DIR]"></a></td><td class="indexcolname"><a href="${name}">${name}</a></td><td class="indexcollastmod">${isoDate(date)} ${String(hour).padStart(2, '0')}:51  </td><td class="indexcolsize">  - </td></tr>`,
  );
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html>
 <head>
  <title>Index of ${path}</title>
  <link rel="stylesheet" href="/layout/autoindex.css" type="text/css">
<meta name="viewport" content="width=device-width, initial-scale=1"> </head>
 <body>
  <h1 id="indextitle">Index of ${path}</h1>
  <table id="indexlist">
   <tr class="indexhead"><th class="indexcolicon"><img src="/icons2/blank.png" alt="[ICO]"></th><th class="indexcolname"><a href="?C=N;O=D">Name</a></th><th class="indexcollastmod"><a href="?C=M;O=A">Last modified</a></th><th class="indexcolsize"><a href="?C=S;O=A">Size</a></th></tr>
   <tr class="indexbreakrow"><th colspan="4"><hr></th></tr>
   <tr class="even"><td class="indexcolicon"><a href="${parent}"><img src="/icons2/go-previous.png" alt="[PARENTDIR]"></a></td><td class="indexcolname"><a href="${parent}">Parent Directory</a></td><td class="indexcollastmod">&nbsp;</td><td class="indexcolsize">  - </td></tr>
${rows.join('\n')}
   <tr class="indexbreakrow"><th colspan="4"><hr></th></tr>
</table>
<address>Apache/2.4.66 (Unix) Server at cloud.debian.org Port 443</address>
</body></html>
`;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

/** Writes a file and dates it (mtime = the build's day at that hour, UTC), which the server sends as Last-Modified. */
function put(file, text, ymd, hour) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const when = new Date(
    Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)), hour, 27),
  );
  utimesSync(file, when, when);
}

/** `count` dates before `ymd`, `step` days apart, oldest first. */
function before(ymd, count, step) {
  return Array.from({ length: count }, (_, i) => shift(ymd, -(count - i) * step));
}

function shift(ymd, deltaDays) {
  const date = new Date(
    Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))) + deltaDays * 86_400_000,
  );
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

function days(from, to) {
  const at = (ymd) => Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)));
  return Math.round((at(to) - at(from)) / 86_400_000);
}

function isoDate(ymd) {
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
}

function nginxDate(ymd) {
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    Number(ymd.slice(4, 6)) - 1
  ];
  return `${ymd.slice(6, 8)}-${month}-${ymd.slice(0, 4)}`;
}

function apacheDate(date) {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

function digest(algo, seed) {
  return createHash(algo).update(seed).digest('hex');
}

/** A plausible image size in bytes, fixed per name. */
function size(name) {
  return 400_000_000 + (parseInt(digest('sha256', name).slice(0, 8), 16) % 1_600_000_000);
}

function sortedLines(lines) {
  return `${[...lines].sort().join('\n')}\n`;
}

function yamlFiles(dir) {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

function snapshot(dir) {
  return new Map(yamlFiles(dir).map((file) => [file, digest('sha256', readFileSync(file))]));
}

function diffSnapshots(before, after) {
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((file) => before.get(file) !== after.get(file))
    .map((file) => file.split(sep).pop());
}
