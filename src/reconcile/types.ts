import type { Checksum, DiskFormat, Visibility } from '../definitions/types.js';
import type { GlanceImage, PatchOperation } from '../openstack/image.js';

/** The flags that shape a plan (the CLI's options, as the planner needs them). */
export interface PlanOptions {
  /** The tag that marks images this tool manages. */
  tag: string;
  /** Import only the newest version of each definition. */
  latest: boolean;
  hide: boolean;
  /** Visibility that --hide gives outdated images; undefined: community, or unchanged with useOsHidden. */
  hiddenVisibility?: Visibility;
  useOsHidden: boolean;
  deactivate: boolean;
  delete: boolean;
  /** Keep outdated images: never delete them. */
  keep: boolean;
  /** Today, YYYY-MM-DD, for date-valued uuid_validity. */
  today: string;
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

export interface ImportSource {
  /** Where Glance (web-download) or the tool (glance-direct) reads the image: mirror_url, else url. */
  url: string;
  checksum?: Checksum;
  /** A fixed UUID for the new image. */
  id?: string;
}

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

export interface ImportAction extends ActionBase {
  kind: 'import';
  desired: DesiredImage;
  source: ImportSource;
}

/** An image of ours left in queued/importing/saving by an earlier run (or --no-wait): wait, verify, finish. */
export interface ResumeImportAction extends ActionBase {
  kind: 'resume-import';
  image: GlanceImage;
  desired: DesiredImage;
  source: ImportSource;
}

/** Bring an existing image to the desired state: one PATCH, tag changes, status. */
export interface UpdateAction extends ActionBase {
  kind: 'update';
  imageId: string;
  name: string;
  patch: PatchOperation[];
  addTags: string[];
  removeTags: string[];
  statusChange?: 'deactivate' | 'reactivate';
}

/** One rename of a rotation; the old image's rename also carries its property changes in the same request. */
export interface RenameAction extends ActionBase {
  kind: 'rename';
  image: ImageRef;
  to: string;
  patch: PatchOperation[];
}

export interface DeleteAction extends ActionBase {
  kind: 'delete';
  imageId: string;
  name: string;
  reason: string;
  /** What to do instead when Glance refuses (image in use): these operations hide it. */
  fallback: { patch: PatchOperation[]; deactivate: boolean };
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
}

export type ObservedImage = GlanceImage;
