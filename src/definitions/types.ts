import type { Visibility } from '../openstack/image.js';

/** An image definition in OIM's format, validated and normalised. Field names follow the YAML where they can. */
export interface ImageDefinition {
  /** The file it came from and the line of its `- name:` entry, for messages. */
  file: string;
  line: number;
  name: string;
  enable: boolean;
  format: DiskFormat;
  login: string;
  min_disk: number;
  min_ram: number;
  multi: boolean;
  keep: boolean;
  status: 'active' | 'deactivated';
  /** Between the name and the version in image names; default a space. */
  separator: string;
  /**
   * How outdated versions of a multi image are named: `oim`, `NAME<sep>(VERSION)`; `scs`, `NAME YYYYMMDD` (the
   * build date), as scs-0102 v2 and its recency test read them. Absent: the run's --outdated-names decides.
   */
  outdated_names?: OutdatedNameStyle;
  shortname?: string;
  password?: string;
  tags: string[];
  visibility: Visibility;
  latest_url?: string;
  latest_checksum_url?: string;
  /** The release asset a releases feed at `latest_url` attaches (a name, or OIM's placeholder in one). */
  latest_asset?: string;
  /** How the upstream is laid out, when not told from the two URLs' shape. */
  upstream_layout?: string;
  /** The tracks one definition follows (Kubernetes minors), each put for `{track}` into `latest_url`. */
  upstream_tracks?: string[];
  /** Image-level properties (SCS-0102 and hw_*), as written; values keep their YAML type. */
  meta: Meta;
  /** Oldest first, in build order (`inBuildOrder`). */
  versions: VersionDefinition[];
}

export interface VersionDefinition {
  /** The line of its `- version:` entry. */
  line: number;
  version: string;
  url: string;
  mirror_url?: string;
  /** The checksum of the image as its mirror holds it: unpacked, when `url` is packed (and `checksum` of that). */
  mirror_checksum?: Checksum;
  checksum?: Checksum;
  checksum_url?: string;
  checksums_url?: string;
  /** YYYY-MM-DD; a timestamp is reduced to its date. */
  build_date?: string;
  hidden?: boolean;
  image_description?: string;
  os_version?: string;
  /** `image_source` to publish instead of the URL: another URL, or `private`. */
  source?: string;
  visibility?: Visibility;
  /** A fixed image UUID for this version. */
  id?: string;
  /** Version-level overrides of the image's meta. */
  meta: Meta;
}

/** Glance's own visibility values: a definition names what the image gets. */
export type { Visibility };
export type OutdatedNameStyle = 'oim' | 'scs';
export type DiskFormat = 'aki' | 'ari' | 'ami' | 'raw' | 'iso' | 'vhd' | 'vdi' | 'qcow2' | 'vmdk';
export type MetaValue = string | number | boolean | null;
export type Meta = Record<string, MetaValue>;

export interface Checksum {
  algo: string;
  hex: string;
}

/** A problem found in a definition file; `line` is 1-based. */
export interface DefinitionIssue {
  file: string;
  line?: number;
  /** The image's name, when the problem is inside an image. */
  image?: string;
  /** Dotted path of the field, e.g. `images[2].meta.os_distro`. */
  path: string;
  message: string;
}
