/** The metadata that marks an object as this tool's: only such objects are ever replaced or deleted. */
export const MARKER_KEY = 'image-manager';
export const MARKER_VALUE = 'mirror';
/** The metadata holding the definition's checksum (`sha256:<hex>`) of the bytes as published. */
export const CHECKSUM_KEY = 'checksum';

/**
 * The metadata holding the sha256 (hex) of the image as the object holds it, unpacked from a packed source: the
 * mirror_checksum `--write-mirror-url` writes without copying again. Never what a run verifies against.
 */
export const IMAGE_SHA256_KEY = 'image-sha256';

/** An object found under a name: whether this tool wrote it, the checksum it was verified against, its image's. */
export interface StoredObject {
  ours: boolean;
  checksum?: string;
  imageSha256?: string;
}

export interface UploadPlan {
  /** User metadata of the object (keys as MARKER_KEY, values ASCII). */
  metadata: Record<string, string>;
  /** The largest segment (Swift) or part (S3). */
  segmentBytes: number;
  /** An object of this tool's is under the name (the HEAD before found it): the copy replaces it. */
  replacing: boolean;
  /**
   * Called once the source has ended, before the object is committed: throws when its bytes are wrong; else
   * gives the metadata only the whole source tells (IMAGE_SHA256_KEY), which the object gets too.
   */
  verify(): Record<string, string>;
}

/**
 * A container (Swift) or bucket (S3). `upload` commits the object under its name only after `plan.verify()`
 * passed; on any failure nothing is left under the name, and the parts written are removed.
 */
export interface ObjectStore {
  /** `swift container NAME`, `s3 bucket NAME`: for messages. */
  readonly where: string;
  head(name: string): Promise<StoredObject | undefined>;
  upload(name: string, stream: ReadableStream<Uint8Array>, plan: UploadPlan): Promise<void>;
  /** Deletes an object this tool wrote (with its segments). */
  remove(name: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Where the object is reachable when the container or bucket is public. */
  urlOf(name: string): Promise<string>;
  /**
   * Uploads this tool began under `prefix` before `before` (ms since the epoch) that no object holds: what a
   * killed run left (Swift: a segment folder no manifest lists; S3: an incomplete multipart upload).
   */
  abandoned(prefix: string, before: number): Promise<AbandonedUpload[]>;
  /** Removes what an abandoned upload wrote. */
  discard(upload: AbandonedUpload): Promise<void>;
}

/** An upload a killed run left: the object it was for, and how the store names it (a folder, an upload id). */
export interface AbandonedUpload {
  object: string;
  id: string;
}

/** A store's failure, naming where and which object. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Runs a store call; its error names the store and the object. */
export async function naming<T>(where: string, name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(`${where}, object ${name}: ${message}`, { cause: error });
  }
}

/** An object's metadata as the store answers it, by key; undefined where absent. */
export function storedObject(meta: (key: string) => string | null | undefined): StoredObject {
  const checksum = meta(CHECKSUM_KEY) ?? undefined;
  const imageSha256 = meta(IMAGE_SHA256_KEY) ?? undefined;
  return {
    ours: meta(MARKER_KEY) === MARKER_VALUE,
    ...(checksum && { checksum }),
    ...(imageSha256 && { imageSha256 }),
  };
}
