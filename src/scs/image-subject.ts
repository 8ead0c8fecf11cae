export type ScsVersion = 'v1' | 'v2';

export interface CheckOptions {
  version: ScsVersion;
  now: Date;
}

/** An image as plain data: a Glance image, or what a definition would publish. Properties as Glance stores them. */
export interface ImageSubject {
  id?: string;
  name: string;
  properties: Record<string, string | undefined>;
  /** GiB. */
  min_disk?: number;
  /** MiB. */
  min_ram?: number;
  /** Bytes stored; null or absent while no data is uploaded (or for a definition). */
  size?: number | null;
  virtual_size?: number | null;
  /** Absent counts as public. */
  visibility?: string;
  os_hidden?: boolean;
  created_at?: string;
  os_hash_algo?: string | null;
}

export function isPublic(image: ImageSubject): boolean {
  return image.visibility === undefined || image.visibility === 'public';
}

/** Hidden by Glance's os_hidden field, or by an os_hidden property that says so. */
export function isHidden(image: ImageSubject): boolean {
  return image.os_hidden === true || image.properties.os_hidden?.toLowerCase() === 'true';
}

/** Set, and more than blanks. */
export function filled(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}
