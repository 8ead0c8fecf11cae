import type { Verification } from '../definitions/verification-record.js';
import type { Change, PlanNote } from '../plan/types.js';

/** What the next run does to one version's image, read from the plan's actions (the strongest one). */
export type Next = 'import' | 'resume' | 'delete' | 'deactivate' | 'hide' | 'rename' | 'update' | 'none';

/**
 * `current`: the image users should pick (of a multi image, the one with the plain name); `outdated`: a
 * superseded version kept for its UUID; `duplicate`: a second usable image of a version (rule 11);
 * `left-alone`: a failed or second unfinished image the planner does not touch (rule 8); `none`: a version
 * with no image that the next run does not import either.
 */
export type Role = 'current' | 'outdated' | 'duplicate' | 'left-alone' | 'none';

export interface ImageSummary {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  /** Glance's os_hidden. */
  hidden: boolean;
  protected: boolean;
  owner: string | null;
  createdAt: string;
}

/** scs-0102's recency for one image: due for replacement 1.1 × replace_frequency after its build. */
export interface Recency {
  /** YYYY-MM-DD: image_build_date, else the day the image was registered. */
  buildDate?: string;
  replaceFrequency?: string;
  ageDays?: number;
  /** YYYY-MM-DD; absent when replace_frequency never makes it due (or nothing tells its age). */
  replacementDue?: string;
  overdue: boolean;
  /** In words, as the SCS rules give it. */
  why: string;
}

/**
 * What the image's `image_verification` (written by the run that published it) says: `verified` end to end,
 * `source-verified` (and why not end to end), `not-verifiable` (and why); `pending` while a run that did not wait
 * left it unverified; `not-recorded` without it.
 */
export interface VerificationStatus {
  state: Verification['state'] | 'pending' | 'not-recorded';
  detail: string;
  /** The source the data came from, recorded when the version had a mirror: `url` means the mirror failed. */
  from?: Verification['from'];
}

export interface VersionStatus {
  version: string;
  /** The definition lists it. */
  defined: boolean;
  /** Its image in the cloud; absent: not in the cloud. */
  image?: ImageSummary;
  role: Role;
  /** Of a multi image: whether it holds the plain name now, and whether it will after the next run. */
  plainName: { now: boolean; next: boolean };
  recency?: Recency;
  /** How its image's data was checked when it was imported (read from the image), when it has an image. */
  verification?: VerificationStatus;
  /** Of an outdated image (or duplicate): within uuid_validity (`kept`) or past it, and the planner's words. */
  retention?: { state: 'kept' | 'past'; why: string };
  next: Next;
  /** Why a version is not imported, or why an image is left alone. */
  why?: string;
  /** The fields of the image that differ from what the definition wants and that the next run changes. */
  changes: Change[];
  /** The plan's actions (their `seq`) that touch this version's image. */
  actions: number[];
  /** Why the official SCS recency test would WARN about it (an outdated image left visible, named the OIM way). */
  scsRecencyWarning?: string;
}

export interface DefinitionStatus {
  name: string;
  file: string;
  multi: boolean;
  replaceFrequency?: string;
  uuidValidity?: string;
  /** Every listed version and every version found, oldest first; duplicates and left-alone images after theirs. */
  versions: VersionStatus[];
  /** The plan's actions for this definition (their `seq`). */
  actions: number[];
  notes: PlanNote[];
}

export interface Collision {
  /** The image the tool does not manage. */
  image: ImageSummary;
  /** The definition whose managed image has (or will have) that name. */
  definition: string;
}

export interface ActionBrief {
  seq: number;
  kind: string;
  definition: string;
  summary: string;
  after: number[];
  /** The existing image it writes; absent for an import. */
  imageId?: string;
  changes: Change[];
}

export interface StatusView {
  cloud: string;
  tag: string;
  /** When it was read (ISO 8601): ages and retention dates are as of then. */
  readAt: string;
  /** Nothing differs: the next run (with the same flags) would plan no action. */
  inSync: boolean;
  summary: {
    definitions: number;
    managedImages: number;
    /** Defined versions with no image in the cloud (those the next run imports among them). */
    missing: number;
    imports: number;
    /** Existing images the next run would change or delete. */
    changing: number;
    actions: number;
    unaccounted: number;
    collisions: number;
    scsRecencyWarnings: number;
  };
  definitions: DefinitionStatus[];
  /** Managed images (the tag, ours to change) no loaded definition accounts for: the next run leaves them alone. */
  unaccounted: Array<ImageSummary & { imageName?: string; internalVersion?: string }>;
  /** Images users see that the tool does not manage, called like a managed one: users see two. */
  collisions: Collision[];
  /** The plan's actions, exactly as `--dry-run` plans them. */
  actions: ActionBrief[];
  /** Definitions whose upstream failed (`--update`, `version: latest`): planned as written or left out. */
  upstreamFailures: Array<{ definition: string; message: string }>;
}
