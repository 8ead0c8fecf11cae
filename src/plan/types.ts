import type { Checksum, DiskFormat, OutdatedNameStyle, Visibility } from '../definitions/types.js';
import type { GlanceImage, ImageStatus } from '../openstack/image.js';

/** The flags that shape a plan (the CLI's options, as the planner needs them). */
export interface PlanOptions {
  /** The tag that marks images this tool manages. */
  tag: string;
  /** Import only the newest version of each definition. */
  latest: boolean;
  hide: boolean;
  /**
   * Show outdated images again that an earlier --hide (or --use-os-hidden) hid: they get the definition's
   * visibility and os_hidden false (rule 10). Without it, hidden outdated images stay hidden. A --hide or
   * --use-os-hidden of the same run wins. Default false.
   */
  unhide?: boolean;
  /** Visibility that --hide gives outdated images; undefined: community, or unchanged with useOsHidden. */
  hiddenVisibility?: Visibility;
  useOsHidden: boolean;
  deactivate: boolean;
  delete: boolean;
  /** Keep outdated images: never delete them. */
  keep: boolean;
  /** Today, YYYY-MM-DD, for date-valued uuid_validity. */
  today: string;
  /**
   * --outdated-names: how outdated versions of multi images are named, over every definition's own
   * `outdated_names`; undefined: each definition's, else `oim` (rule 5).
   */
  outdatedNames?: OutdatedNameStyle;
  /**
   * --mirror-base: the mirror a version without `mirror_url` is read from first, in OIM's layout
   * (`<base>/<shortname>/<version>-<shortname>.<format>`; definitions without `shortname` have none).
   */
  mirrorBase?: string;
}

/**
 * What the tool wants one image of one definition version to look like. Fields left undefined are left as
 * they are (an outdated version that is no longer defined keeps its properties, for example).
 */
export interface DesiredImage {
  definition: string;
  version: string;
  name: string;
  /** Property values as Glance stores them (strings). null: the property must be absent. */
  properties: Record<string, string | null>;
  disk_format?: DiskFormat;
  min_disk?: number;
  min_ram?: number;
  tags?: string[];
  visibility?: Visibility;
  os_hidden?: boolean;
  status?: 'active' | 'deactivated';
}

/** Where an image's data comes from: the operator's mirror (`mirror_url`, or derived from --mirror-base), or `url`. */
export type SourceOrigin = 'mirror' | 'url';

/** One place Glance (web-download) or the tool (glance-direct) reads the image from. */
export interface SourceOption {
  origin: SourceOrigin;
  url: string;
  /**
   * The definition's `mirror_checksum`, which the mirror's copy is verified against instead of `checksum`: the
   * mirror holds the image unpacked from a packed `url`, whose `checksum` is of the packed bytes.
   */
  mirrorChecksum?: Checksum;
}

export interface ImportSource {
  /**
   * The places to read the image from, in order: the mirror first when there is one, then `url`. The importer
   * takes the next one when the one before cannot serve the image.
   */
  from: [SourceOption, ...SourceOption[]];
  checksum?: Checksum;
  /** A fixed UUID for the new image. */
  id?: string;
}

/**
 * One field of an image that an action changes, before → after. `properties.X` is the additional property X
 * (a string as Glance stores it; null: absent). `tags` lists the whole set before and after.
 */
export type Change =
  | { field: 'name'; before: string | null; after: string }
  | { field: 'visibility'; before: Visibility; after: Visibility }
  | { field: 'os_hidden'; before: boolean; after: boolean }
  | { field: 'min_disk' | 'min_ram'; before: number; after: number }
  | { field: 'status'; before: ImageStatus; after: 'active' | 'deactivated' }
  | { field: 'tags'; before: string[]; after: string[] }
  | PropertyChange;

export interface PropertyChange {
  field: `properties.${string}`;
  /** As the image had it (Glance stores strings; anything else is shown as it came). */
  before: unknown;
  after: string | null;
}

export type Field = Change['field'];

interface ActionBase {
  /** Position in the plan; later actions name earlier ones in `after`. */
  seq: number;
  definition: string;
  /** Human summary, as --dry-run prints it. */
  summary: string;
  /** Actions that must have succeeded first; when one failed or was deferred, this one is skipped. */
  after: number[];
}

/** A reference to an image: one that exists, or the one an import action of this plan creates. */
export type ImageRef = { imageId: string; name: string } | { importSeq: number; name: string };

/**
 * Create an image for a version, fully described and private (see `createRequest`), under `desired.name`, and
 * import its data; `changes` then finish it (rule 2).
 */
export interface ImportAction extends ActionBase {
  kind: 'import';
  /**
   * The state to reach; `name` is the one it is created under: the name it ends with, or, while another image
   * holds that, its versioned name (a later rename, or `changes`, gives it the name).
   */
  desired: DesiredImage;
  source: ImportSource;
  /**
   * From the image as the importer creates it (see `asCreated`): only what waits for active, the visibility
   * (last), the status, and the name when another image kept it. Empty when a rename after the import gives
   * the name (a rotation): the visibility and status then come with it.
   */
  changes: Change[];
}

/** An image of ours left in queued/importing/saving by an earlier run (or --no-wait): wait, verify, finish. */
export interface ResumeImportAction extends ActionBase {
  kind: 'resume-import';
  image: GlanceImage;
  desired: DesiredImage;
  source: ImportSource;
  /** From the image as it was found (and once active) to `desired`. */
  changes: Change[];
}

/** Bring an existing image to the desired state: one PATCH, tag changes, status. */
export interface UpdateAction extends ActionBase {
  kind: 'update';
  imageId: string;
  name: string;
  changes: Change[];
}

/** An update whose changes include the name: one PATCH with the other fields, then tags and status. */
export interface RenameAction extends ActionBase {
  kind: 'rename';
  image: ImageRef;
  to: string;
  changes: Change[];
}

export interface DeleteAction extends ActionBase {
  kind: 'delete';
  imageId: string;
  name: string;
  reason: string;
  /** What to do instead when Glance refuses (image in use): these changes retire it. */
  fallback: Change[];
}

export type Action = ImportAction | ResumeImportAction | UpdateAction | RenameAction | DeleteAction;

/** Something the planner noticed and did not act on, or a reason an image is kept. */
export interface PlanNote {
  level: 'info' | 'warn';
  definition?: string;
  image?: string;
  message: string;
}

export interface Plan {
  actions: Action[];
  notes: PlanNote[];
  /** Per definition planned, what became of each of its versions and images, no-ops included. */
  definitions: DefinitionPlan[];
}

/** The images a definition owns (ownership, rule 1), version by version, each with the plan's decision. */
export interface DefinitionPlan {
  definition: string;
  /** Every version listed and every version found, oldest first. */
  versions: VersionPlan[];
}

export interface VersionPlan {
  version: string;
  /** The definition lists it. */
  defined: boolean;
  /**
   * The version's own decision (its image's, or the version's when it has none), then one per duplicate
   * (rule 11), then one per image left alone (rule 8): every image claiming the version is in one.
   */
  decisions: Decision[];
}

/** What the next run does with one image of a version (or with a version without one), and why. */
export type Decision =
  | { fate: 'import'; role: DecidedRole; name: string; reason: Reason; oimNamed?: OimNamedReason }
  | {
      fate: 'keep' | 'resume';
      image: GlanceImage;
      role: DecidedRole;
      /** The name it has once the run is done. */
      name: string;
      reason: Reason;
      /** A usable image beside the one kept of its version (rule 11): the id of that one. */
      duplicateOf?: string;
      oimNamed?: OimNamedReason;
    }
  | { fate: 'delete'; image: GlanceImage; reason: RetentionReason; duplicateOf?: string }
  | { fate: 'none'; reason: NotImportedReason | RetentionReason | { kind: 'not-listed' } }
  | { fate: 'leave'; image: GlanceImage; reason: { kind: 'left-alone' } };

/** Whether an image is the one users should pick, or a superseded version kept for its UUID. */
export type DecidedRole = 'current' | 'outdated';

/** Rule 6: an outdated version's place in the retention order (0: the newest outdated one) and its uuid_validity. */
export interface RetentionPlace {
  rank: number;
  /** uuid_validity as written (`unset` when it is not). */
  validity: string;
}

/** Rule 6: why an outdated image (or arrival, or duplicate) is kept, left, or deleted. */
export type RetentionReason =
  /** Within uuid_validity. */
  | ({ kind: 'kept' } & RetentionPlace)
  /** Past it, and --delete not asked: it stays (deactivated with --deactivate). */
  | ({ kind: 'past-validity' } & RetentionPlace)
  /** Past it and --delete asked, but protected: Glance would refuse the delete. */
  | ({ kind: 'protected' } & RetentionPlace)
  /** Past it and --delete asked, but kept by --keep or the definition's `keep: true`. */
  | ({ kind: 'kept-anyway'; by: '--keep' | 'keep: true' } & RetentionPlace)
  /** Past it: deleted (--delete); a version not imported yet is not imported. */
  | ({ kind: 'expired' } & RetentionPlace);

/** Rule 2: why a defined version without an image is not imported (retention aside). */
export type NotImportedReason =
  /** Its only images failed: importing again would pile up more of them. */
  | { kind: 'not-imported'; because: 'failed-image' }
  /** --latest imports only the newest defined version, `newest`. */
  | { kind: 'not-imported'; because: 'latest-only'; newest: string }
  /** Of a multi image, the newer version `newer` exists (retention may have deleted this one on purpose). */
  | { kind: 'not-imported'; because: 'older-than-present'; newer: string };

/** Why an image (or a version without one) comes out of the plan as it does: one typed reason a decision. */
export type Reason =
  /** Current (rules 5, 7): of a multi image the one with the plain name; every defined single-version one. */
  | { kind: 'current' }
  | RetentionReason
  | NotImportedReason
  /** A version no longer listed whose only images failed: nothing to do, its images are left alone. */
  | { kind: 'not-listed' }
  /** An image the planner does not touch (rule 8): failed, or being imported beside the one worked with. */
  | { kind: 'left-alone' };

/** Rule 5: why an outdated version keeps OIM's name although the SCS form (NAME YYYYMMDD) was asked for. */
export type OimNamedReason =
  | { because: 'no-build-day' }
  /** Two images of one name would draw scs-0102's duplicate warning. */
  | { because: 'shared-build-day'; day: string; versions: string[] };
