/**
 * The endoflife.date products a definition can be judged by, and how a definition is known as one.
 *
 * A definition is mapped by the `os_distro` its images publish, confirmed by its name (or shortname). OIM's
 * check_updates.py keys on the file name (`ubuntu.yml`) because its catalogue's os_distro is unreliable:
 * AlmaLinux says `centos`, Flatcar says `fedora`, Garden Linux says `debian`. This tool reads any file layout
 * (`--images` may be one file holding every image), so the file name says nothing; os_distro is what the image
 * tells its users, and the name must agree with it, so that OIM's AlmaLinux is listed as unknown instead of
 * being judged by CentOS Stream's dates.
 */
export interface Product {
  /** The product's name in endoflife.date's API (`/api/{product}.json`). */
  id: string;
  label: string;
  osDistros: readonly string[];
  /** The definition's name or shortname must match: the os_distro alone does not tell the product. */
  named: RegExp;
  /**
   * What ends free support: `eol`, or `extendedSupport` for Debian, whose `eol` ends only the security team's
   * support while its free LTS runs on to `extendedSupport`. Ubuntu's `extendedSupport` is paid ESM: `eol`.
   */
  judgedOn: 'eol' | 'extendedSupport';
  /** Only LTS cycles count as supported releases to define (Ubuntu's interim releases live nine months). */
  ltsOnly: boolean;
}

/** Checked in this order: CentOS Stream before CentOS Linux, which share os_distro `centos`. */
export const PRODUCTS: readonly Product[] = [
  { id: 'ubuntu', label: 'Ubuntu', osDistros: ['ubuntu'], named: /ubuntu/i, judgedOn: 'eol', ltsOnly: true },
  {
    id: 'debian',
    label: 'Debian',
    osDistros: ['debian'],
    named: /debian/i,
    judgedOn: 'extendedSupport',
    ltsOnly: false,
  },
  { id: 'almalinux', label: 'AlmaLinux', osDistros: ['almalinux'], named: /alma/i, judgedOn: 'eol', ltsOnly: false },
  { id: 'rocky-linux', label: 'Rocky Linux', osDistros: ['rocky'], named: /rocky/i, judgedOn: 'eol', ltsOnly: false },
  {
    id: 'centos-stream',
    label: 'CentOS Stream',
    osDistros: ['centos'],
    named: /centos[ _-]?stream/i,
    judgedOn: 'eol',
    ltsOnly: false,
  },
  { id: 'centos', label: 'CentOS Linux', osDistros: ['centos'], named: /centos/i, judgedOn: 'eol', ltsOnly: false },
  {
    id: 'opensuse',
    label: 'openSUSE Leap',
    osDistros: ['opensuse', 'opensuse-leap'],
    named: /leap/i,
    judgedOn: 'eol',
    ltsOnly: false,
  },
  { id: 'fedora', label: 'Fedora', osDistros: ['fedora'], named: /fedora/i, judgedOn: 'eol', ltsOnly: false },
];

/** Which product a definition with this os_distro, name and shortname is; or why none. */
export function productOf(
  osDistro: string | undefined,
  names: readonly string[],
): { product: Product } | { why: string } {
  if (osDistro === undefined) return { why: 'no os_distro: the product is not known' };
  const candidates = PRODUCTS.filter((product) => product.osDistros.includes(osDistro));
  if (candidates.length === 0) return { why: `endoflife.date has no product this tool maps os_distro ${osDistro} to` };
  const product = candidates.find((candidate) => names.some((name) => candidate.named.test(name)));
  if (product !== undefined) return { product };
  const labels = candidates.map((candidate) => candidate.label).join(' or ');
  return { why: `os_distro ${osDistro} is ${labels}'s, but the name does not say ${labels}: not guessed` };
}
