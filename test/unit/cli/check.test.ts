import { describe, expect, it } from 'vitest';
import { type Audit, audit } from '../../../src/cli/commands/check.js';
import { formatAudit } from '../../../src/cli/render/check.js';
import { wrap } from '../../../src/cli/render/wrap.js';
import { TEXT_WIDTH } from '../../../src/util/text-width.js';
import type { CloudContext } from '../../../src/cli/context.js';
import { jsonText } from '../../../src/cli/safe-text.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { IMAGE_RULES } from '../../../src/scs/image-metadata.js';

const NOW = new Date('2025-06-15T00:00:00Z');
const GIB = 1024 ** 3;
const LONG = `Ubuntu 24.04 ${'very-long-flavour-name-'.repeat(8)}edition`;

/** A public image as OIM writes it, scs-0102 v2 complete; `extra` breaks or changes it. */
function image(name: string, extra: Partial<GlanceImage> = {}): GlanceImage {
  return {
    id: `id-${name.length}-${name.slice(-12)}`,
    name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    tags: [],
    min_disk: 8,
    min_ram: 512,
    disk_format: 'qcow2',
    container_format: 'bare',
    size: GIB / 2,
    checksum: null,
    os_hash_algo: 'sha512',
    os_hash_value: 'd'.repeat(128),
    owner: 'p',
    created_at: '2025-06-01T10:00:00Z',
    updated_at: '2025-06-01T10:00:00Z',
    architecture: 'x86_64',
    hw_disk_bus: 'scsi',
    hypervisor_type: 'qemu',
    hw_rng_model: 'virtio',
    os_distro: 'ubuntu',
    os_version: '24.04',
    os_purpose: 'generic',
    image_build_date: '2025-06-01',
    image_original_user: 'ubuntu',
    image_source: 'https://cloud-images.ubuntu.com/releases/noble/u.qcow2',
    image_description: name,
    replace_frequency: 'monthly',
    provided_until: 'none',
    uuid_validity: 'last-3',
    ...extra,
  };
}

/** Outdated (built 2025-01-01, monthly) under a provided_until promise, and named OIM's way. */
const oimOutdated = image('Ubuntu 24.04 (20250101)', {
  image_build_date: '2025-01-01',
  created_at: '2025-01-01T10:00:00Z',
  provided_until: '2026-01-01',
  os_purpose: 'oldgeneric',
});

function contextWith(images: GlanceImage[]): CloudContext {
  return { cloud: { name: 'prod' }, glance: { listAllImages: async () => images } } as unknown as CloudContext;
}

async function auditOf(images: GlanceImage[]): Promise<Audit> {
  return audit(contextWith(images), 'v2', NOW);
}

const catalogue = (): GlanceImage[] => [
  image('Ubuntu 24.04'),
  oimOutdated,
  image(LONG, { os_distro: 'ubuntu', os_version: '24.10' }),
  image(`${LONG} broken`, { os_version: '22.04', architecture: 'pdp11', min_ram: 0 }),
  image('Debian 12', {
    os_distro: 'debian',
    os_version: '12',
    os_purpose: undefined,
    image_source: 'https://cloud.debian.org/images/cloud/bookworm/d.qcow2',
  }),
  ...Array.from({ length: 9 }, (_, i) => image(`Other ${i}`, { os_distro: `d${i}`, os_version: `${i}` })),
];

describe('check: the text form', () => {
  it('fits 120 columns, long image names too, and starts with the verdict', async () => {
    const result = await auditOf(catalogue());
    const lines = formatAudit(result).trimEnd().split('\n');
    expect(lines.filter((line) => line.length > TEXT_WIDTH)).toEqual([]);
    expect(lines[0]).toBe('FAIL: 2 of 14 public/community images fail scs-0102 v2 (cloud prod)');
    // The long name is there, broken over lines, not cut.
    expect(lines.join('').replace(/\s+/g, '')).toContain(`"${LONG}broken"`.replace(/\s+/g, ''));
  });

  it('groups by rule, failing rules first, each finding once with its images', async () => {
    const lines = formatAudit(await auditOf(catalogue())).split('\n');
    const headers = lines.filter((line) => /^(FAIL|WARN) [a-z_]+ \(/.test(line));
    const verdicts = headers.map((line) => line.split(' ')[0]);
    expect(verdicts).toEqual([...verdicts].sort());
    expect(headers).toContain('FAIL architecture (1 fail)');
    expect(headers).toContain('FAIL os_purpose (1 fail)');
    expect(headers).toContain('WARN recency (1 warn)');
    expect(lines.find((line) => line.startsWith('PASS '))).toMatch(/^PASS min_disk, os_distro, os_version/);
  });

  it('names the images that would draw the recency test’s name WARN', async () => {
    const result = await auditOf(catalogue());
    expect(result.recencyNameWarnings).toEqual([
      {
        id: oimOutdated.id,
        name: 'Ubuntu 24.04 (20250101)',
        message:
          'Image "Ubuntu 24.04 (20250101)" seems outdated (acc. to its repl freq) but is not hidden or otherwise marked',
      },
    ]);
    const text = formatAudit(result);
    expect(text).toContain('Recency-name WARN: 1 image is outdated, not os_hidden, and not named as old');
    expect(text).toContain(`    "Ubuntu 24.04 (20250101)" (${oimOutdated.id})`);
    // Named the SCS way, or os_hidden, it draws none.
    const scsNamed = { ...oimOutdated, name: 'Ubuntu 24.04 20250101' };
    expect((await auditOf([image('Ubuntu 24.04'), scsNamed])).recencyNameWarnings).toEqual([]);
    const hidden = { ...oimOutdated, os_hidden: true };
    expect((await auditOf([image('Ubuntu 24.04'), hidden])).recencyNameWarnings).toEqual([]);
  });

  it('says PASS, or PASS with warnings, on the first line', async () => {
    const clean = await auditOf([image('Ubuntu 24.04')]);
    const [first] = formatAudit(clean).split('\n');
    expect(first).toMatch(
      /^PASS(:| with \d+ warnings?:) 1 public\/community image pass scs-0102 v2 and scs-0104 \(cloud prod\)$/,
    );
    const warned = await auditOf([image('Ubuntu 24.04'), oimOutdated]);
    expect(warned.verdict).toBe('WARN');
    expect(formatAudit(warned).split('\n')[0]).toMatch(/^PASS with \d+ warnings?: 2 public\/community images pass/);
  });
});

describe('check: the JSON form keeps the full matrix', () => {
  it('every image with a finding for every rule, PASS included', async () => {
    const result = await auditOf(catalogue());
    const parsed = JSON.parse(jsonText(result)) as Audit;
    expect(parsed.images).toHaveLength(14);
    for (const audited of parsed.images) {
      expect(audited.findings.map((finding) => finding.rule)).toEqual([...IMAGE_RULES, 'uniqueness']);
    }
    expect(parsed.recencyNameWarnings.map((warning) => warning.name)).toEqual(['Ubuntu 24.04 (20250101)']);
  });
});

describe('wrap', () => {
  it('breaks at spaces, and inside a word longer than a line, indenting what follows', () => {
    const lines = wrap(`${'word '.repeat(40)}${'x'.repeat(300)}`, '    ', '  ');
    expect(lines.every((line) => line.length <= TEXT_WIDTH)).toBe(true);
    expect(lines[0]?.startsWith('  word')).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith('    '))).toBe(true);
    expect(lines.join('').replace(/ /g, '')).toBe(`${'word'.repeat(40)}${'x'.repeat(300)}`);
  });
});
