import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/net/fetch.js';
import { FakeClock } from '../net/fake-clock.js';
import { runMain } from './run-main.js';

const UBUNTU = 'https://cloud-images.ubuntu.com/releases/noble';
const ALMA = 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images';
const hex = (char: string) => char.repeat(64);

/** An upstream of fixed pages; counts what is asked. */
function upstream(pages: Record<string, string>): { fetch: FetchLike; asked: string[] } {
  const asked: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    asked.push(`${init.method} ${url}`);
    const body = pages[url];
    const status = body === undefined ? 404 : 200;
    return new Response(init.method === 'HEAD' ? null : (body ?? 'not found'), { status }) as never;
  };
  return { fetch, asked };
}

function ubuntuPages(newest: string, digest: string, folders = ['20260926', newest]): Record<string, string> {
  const links = folders.map((serial) => `<a href="release-${serial}/">release-${serial}/</a>   20-Nov-2026 10:00    -`);
  return {
    [`${UBUNTU}/`]: `<html><body><h1>Index of /releases/noble</h1><pre><a href="../">../</a>
${links.join('\n')}
<a href="release/">release/</a>   20-Nov-2026 10:00    -
</pre></body></html>`,
    [`${UBUNTU}/release-${newest}/SHA256SUMS`]: `${hex('e')} *ubuntu-24.04-server-cloudimg-arm64.img\n${digest} *ubuntu-24.04-server-cloudimg-amd64.img\n`,
  };
}

const almaPages = {
  [`${ALMA}/CHECKSUM`]: `${hex('a')}  AlmaLinux-9-GenericCloud-9.8-20260810.x86_64.qcow2\n${hex('a')}  AlmaLinux-9-GenericCloud-latest.x86_64.qcow2\n`,
};

const meta = `    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '24.04'
      os_purpose: generic
      replace_frequency: monthly
      uuid_validity: last-3
      provided_until: none
`;

function image(name: string, latest: string, sums: string, versions: string): string {
  return `  - name: ${name}
    format: qcow2
    login: ubuntu
    min_disk: 8
    min_ram: 512
    status: active
    visibility: public
    multi: true
${meta}    tags: []
    latest_checksum_url: ${sums}
    latest_url:
      ${latest}
    versions:
${versions}`;
}

const ubuntuVersion = `      # Canonical's release serial
      - version: '20260926'
        url: ${UBUNTU}/release-20260926/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${hex('1')}
        build_date: 2026-09-26
`;
const almaVersion = `      - version: "20260810"
        url: ${ALMA}/AlmaLinux-9-GenericCloud-9.8-20260810.x86_64.qcow2
        checksum: sha256:${hex('a')}
        build_date: 2026-08-10
`;

function catalogue(ubuntuBase = UBUNTU): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-update-'));
  const file = path.join(dir, 'images.yml');
  const text = `---
# A catalogue of two images; this comment stays.
images:
${image('Ubuntu 24.04', `${ubuntuBase}/release/ubuntu-24.04-server-cloudimg-amd64.img`, `${ubuntuBase}/release/SHA256SUMS`, ubuntuVersion)}${image('AlmaLinux 9', `${ALMA}/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2`, `${ALMA}/CHECKSUM`, almaVersion)}`;
  writeFileSync(file, text);
  return { dir, file, text };
}

const run = (args: string[], fetch: FetchLike) => runMain(args, { fetch });

const newUbuntuEntry = `      - version: '20261120'
        url: ${UBUNTU}/release-20261120/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${hex('2')}
        build_date: 2026-11-20
`;

describe('image-manager update', () => {
  it('writes the new build in place of the old one, changes nothing else, and a second run changes no byte', async () => {
    const { dir, file, text } = catalogue();
    const { fetch, asked } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const first = await run(['update', '--images', dir, '--output', 'json'], fetch);
    expect(first.code, first.stderr).toBe(0);
    const expected = text.replace(ubuntuVersion, `      # Canonical's release serial\n${newUbuntuEntry}`);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const document = JSON.parse(first.stdout);
    expect(document.definitions).toEqual([
      expect.objectContaining({
        name: 'Ubuntu 24.04',
        layout: 'dated-folders',
        status: 'new',
        changed: true,
        current: expect.objectContaining({ version: '20260926' }),
        upstream: {
          version: '20261120',
          url: `${UBUNTU}/release-20261120/ubuntu-24.04-server-cloudimg-amd64.img`,
          checksum: `sha256:${hex('2')}`,
          checksumComputed: false,
          date: '20261120',
        },
        requests: 2,
      }),
      expect.objectContaining({
        name: 'AlmaLinux 9',
        layout: 'checksum-file',
        status: 'current',
        changed: false,
        requests: 1,
      }),
    ]);
    expect(asked.every((request) => request.startsWith('GET '))).toBe(true);

    const second = await run(['update', '--images', dir], fetch);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('Ubuntu 24.04: up to date (20261120)\nAlmaLinux 9: up to date (20260810)\n');
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const { dir, file, text } = catalogue();
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir, '--dry-run'], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`--- ${file}`);
    expect(result.stdout).toContain(`-      - version: '20260926'`);
    expect(result.stdout).toContain(`+      - version: '20261120'`);
    expect(result.stdout).toContain(`+        checksum: sha256:${hex('2')}`);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('takes no build older than the newest defined version', async () => {
    const { dir, file, text } = catalogue();
    const { fetch } = upstream({ ...ubuntuPages('20260901', hex('3'), ['20260801', '20260901']), ...almaPages });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Ubuntu 24.04: upstream offers 20260901, older than 20260926: not taken');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a version held dated after tomorrow blocks nothing: the build is written, the version stays, a warning says so', async () => {
    const { dir, file, text } = catalogue();
    const future = `      - version: '20990101'
        url: ${UBUNTU}/release-20990101/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${hex('9')}
        build_date: 2099-01-01
`;
    writeFileSync(file, text.replace(ubuntuVersion, `${ubuntuVersion}${future}`));
    const line = readFileSync(file, 'utf8').split('\n').indexOf("      - version: '20990101'") + 1;
    const clock = new FakeClock(Date.parse('2026-12-07T12:00:00Z'));
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const warning =
      `${file}: Ubuntu 24.04 holds 1 version dated after tomorrow (2026-12-08): 20990101 (line ${line}). ` +
      'No real build is dated so: it does not count as the newest build and upstream builds are still taken; ' +
      'correct its build_date or remove it (until then it sorts as the newest)';
    const json = await runMain(['update', '--images', dir, '--dry-run', '--output', 'json'], { fetch, clock });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).definitions[0]).toMatchObject({ name: 'Ubuntu 24.04', status: 'new', warning });
    expect(json.stderr.split(warning)).toHaveLength(2);

    const written = await runMain(['update', '--images', dir], { fetch, clock });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout.startsWith(`Ubuntu 24.04: warning: ${warning}\nUbuntu 24.04: `)).toBe(true);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain(newUbuntuEntry);
    expect(after).toContain(future);
    expect(after).not.toContain("version: '20260926'");
  });

  it('a failing upstream fails its definition (exit 1, named with its URL), other files are written, its file is not', async () => {
    const { dir, file, text } = catalogue();
    const other = path.join(dir, 'other.yml');
    const otherText = `images:\n${image('Ubuntu Other', `${UBUNTU}/release/ubuntu-24.04-server-cloudimg-amd64.img`, `${UBUNTU}/release/SHA256SUMS`, ubuntuVersion)}`;
    writeFileSync(other, otherText);
    const { fetch } = upstream(ubuntuPages('20261120', hex('2'))); // no AlmaLinux CHECKSUM: 404
    const result = await run(['update', '--images', dir, '--output', 'json'], fetch);
    expect(result.code).toBe(1);
    const byName = Object.fromEntries(
      JSON.parse(result.stdout).definitions.map((entry: { name: string }) => [entry.name, entry]),
    );
    expect(byName['AlmaLinux 9']).toMatchObject({ status: 'failed', error: `${ALMA}/CHECKSUM: answered HTTP 404` });
    expect(byName['Ubuntu 24.04']).toMatchObject({ status: 'new', changed: false });
    expect(byName['Ubuntu Other']).toMatchObject({ status: 'new', changed: true });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readFileSync(other, 'utf8')).toContain(newUbuntuEntry);
  });

  it('refuses a password written into an upstream URL before asking anything, and never shows it', async () => {
    const { dir } = catalogue('https://mirror:S3cretPass@mirror.example/noble');
    const { fetch, asked } = upstream(almaPages);
    const result = await run(['update', '--images', dir, '--output', 'json'], fetch);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain('S3cretPass');
    expect(result.stderr).toMatch(/latest_url: must not contain a user name or password/);
    expect(asked).toEqual([]);
  });

  it('exits 2 and writes nothing on a broken definition file or a bad filter', async () => {
    const { dir, file, text } = catalogue();
    writeFileSync(path.join(dir, 'broken.yml'), 'images:\n  - name: [x\n');
    const { fetch, asked } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const broken = await run(['update', '--images', dir], fetch);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.yml');
    const badFilter = await run(['update', '--images', file, '--filter', 'Ubuntu ('], fetch);
    expect(badFilter.code).toBe(2);
    expect(asked).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('--filter asks only the matching definitions', async () => {
    const { dir } = catalogue();
    const { fetch, asked } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir, '--filter', '^Alma', '--output', 'json'], fetch);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).definitions.map((entry: { name: string }) => entry.name)).toEqual(['AlmaLinux 9']);
    expect(asked).toEqual([`GET ${ALMA}/CHECKSUM`]);
  });

  it('keeps the number of versions: the oldest drops out, the new one goes last', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-update-'));
    const file = path.join(dir, 'images.yml');
    const two = `${ubuntuVersion}      - version: '20261010'
        url: ${UBUNTU}/release-20261010/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${hex('4')}
        build_date: 2026-10-10
`;
    writeFileSync(
      file,
      `images:\n${image('Ubuntu 24.04', `${UBUNTU}/release/ubuntu-24.04-server-cloudimg-amd64.img`, `${UBUNTU}/release/SHA256SUMS`, two)}`,
    );
    const { fetch } = upstream(ubuntuPages('20261120', hex('2')));
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written.match(/- version: '(\d+)'/g)).toEqual([`- version: '20261010'`, `- version: '20261120'`]);
    expect(written).toContain(`      # Canonical's release serial\n      - version: '20261010'`);
  });
});

/** The upstream's fetch, with `act` done once, before the first request: another process, mid-run. */
function meanwhile(fetch: FetchLike, act: () => void): FetchLike {
  let done = false;
  return async (url, init) => {
    if (!done) {
      done = true;
      act();
    }
    return fetch(url, init);
  };
}

/** A file of one Ubuntu image named `name`, at its one version 20260926. */
function ubuntuFile(file: string, name: string): void {
  const latest = `${UBUNTU}/release/ubuntu-24.04-server-cloudimg-amd64.img`;
  writeFileSync(file, `images:\n${image(name, latest, `${UBUNTU}/release/SHA256SUMS`, ubuntuVersion)}`);
}

describe('image-manager update: the files it writes', () => {
  it('edits the file a symlinked definition names; the link stays a link', async () => {
    const real = mkdtempSync(path.join(os.tmpdir(), 'im-update-real-'));
    const { dir, file } = catalogue();
    const target = path.join(real, 'images.yml');
    writeFileSync(target, readFileSync(file));
    rmSync(file);
    symlinkSync(target, file);
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(readlinkSync(file)).toBe(target);
    expect(readFileSync(target, 'utf8')).toContain(newUbuntuEntry);
    expect(readdirSync(real)).toEqual(['images.yml']);
  });

  it('never writes through a symlink planted at a temporary file name, and leaves no temporary file', async () => {
    const { dir, file } = catalogue();
    const victim = path.join(mkdtempSync(path.join(os.tmpdir(), 'im-update-victim-')), 'shadow');
    writeFileSync(victim, 'root:x:0:0\n');
    const planted = path.join(dir, `.images.yml.${process.pid}.tmp`); // the name used to be predictable
    symlinkSync(victim, planted);
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('root:x:0:0\n');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(newUbuntuEntry);
    expect(readdirSync(dir).sort()).toEqual([path.basename(planted), 'images.yml']);
  });

  it("keeps the file's mode, whatever the umask", async () => {
    const { dir, file } = catalogue();
    chmodSync(file, 0o664);
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(newUbuntuEntry);
    expect(statSync(file).mode & 0o7777).toBe(0o664);
  });

  it.skipIf(process.getuid?.() !== 0)("run as root, keeps the file's owner and group", async () => {
    const { dir, file } = catalogue();
    chownSync(file, 1234, 5678);
    chmodSync(file, 0o640);
    const { fetch } = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(newUbuntuEntry);
    expect(statSync(file)).toMatchObject({ uid: 1234, gid: 5678 });
    expect(statSync(file).mode & 0o7777).toBe(0o640);
  });

  it('refuses a file another process changed since it was read, even keeping the number of versions', async () => {
    const { dir, file, text } = catalogue();
    const pinned = text.replace(
      ubuntuVersion,
      `      - version: '20261201'
        url: ${UBUNTU}/release-20261201/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${hex('5')}
        build_date: 2026-12-01
`,
    );
    const pages = upstream({ ...ubuntuPages('20261120', hex('2')), ...almaPages });
    const fetch = meanwhile(pages.fetch, () => writeFileSync(file, pinned));
    const result = await run(['update', '--images', dir, '--output', 'json'], fetch);
    expect(result.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(pinned);
    const document = JSON.parse(result.stdout);
    const error = `${file} changed since it was read (its content differs): not rewritten`;
    expect(document.files).toEqual([expect.objectContaining({ file, changed: false, error })]);
    expect(document.definitions[0]).toMatchObject({ name: 'Ubuntu 24.04', status: 'new', changed: false, error });
  });

  const sabotages: Array<[string, (file: string) => string, string]> = [
    ['a directory where the file was', (file) => `${file}: not written: not a regular file`, 'directory'],
    ['the file removed (ENOENT)', (file) => `${file}: not written: no such file or directory`, 'removed'],
    ['the directory a symlinked file lives in removed (ENOENT)', (file) => `${file}: not written: no such`, 'link'],
  ];

  it.each(sabotages)(
    'one file that cannot be written (%s) is reported for it; the others are',
    async (_, error, how) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'im-update-'));
      const real = mkdtempSync(path.join(os.tmpdir(), 'im-update-real-'));
      const [first, second] = [path.join(dir, 'a.yml'), path.join(dir, 'b.yml')];
      ubuntuFile(how === 'link' ? path.join(real, 'a.yml') : first, 'Ubuntu A');
      if (how === 'link') symlinkSync(path.join(real, 'a.yml'), first);
      ubuntuFile(second, 'Ubuntu B');
      const sabotage = () => {
        rmSync(how === 'link' ? real : first, { recursive: true });
        if (how === 'directory') mkdirSync(first);
      };
      const json = await run(
        ['update', '--images', dir, '--output', 'json'],
        meanwhile(upstream(ubuntuPages('20261120', hex('2'))).fetch, sabotage),
      );
      expect(json.code).toBe(1);
      const document = JSON.parse(json.stdout);
      expect(document.files).toEqual([
        { file: first, changed: false, error: expect.stringContaining(error(first)) },
        expect.objectContaining({ file: second, changed: true }),
      ]);
      expect(document.definitions).toEqual([
        expect.objectContaining({ name: 'Ubuntu A', status: 'new', changed: false, error: document.files[0].error }),
        expect.objectContaining({ name: 'Ubuntu B', status: 'new', changed: true }),
      ]);
      expect(readFileSync(second, 'utf8')).toContain(newUbuntuEntry);
    },
  );

  it('says in the summary which file was not written and why, and that the others were', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-update-'));
    const [first, second] = [path.join(dir, 'a.yml'), path.join(dir, 'b.yml')];
    ubuntuFile(first, 'Ubuntu A');
    ubuntuFile(second, 'Ubuntu B');
    const sabotage = () => {
      rmSync(first);
      mkdirSync(first);
    };
    const result = await run(
      ['update', '--images', dir],
      meanwhile(upstream(ubuntuPages('20261120', hex('2'))).fetch, sabotage),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `Ubuntu A: 20261120 found: ${first}: not written: not a regular file\n` + 'Ubuntu B: 20260926 -> 20261120\n',
    );
    expect(result.stderr).toContain(`${first}: not written: not a regular file`);
    expect(readFileSync(second, 'utf8')).toContain(newUbuntuEntry);
  });
});
