import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import path from 'node:path';
import { VersionEditError } from './errors.js';

/**
 * Replacing a definition file that may sit in a directory others can write to, by a process that may run as
 * root: the file a symlink names is edited (the link stays), the temporary file is created exclusively under an
 * unpredictable name beside it, and the rename is refused when the file changed since it was read.
 */

/** A definition file as read: where it really is, its bytes, and what identifies that version of it. */
export interface FileSnapshot {
  /** The path as given (a symlink, perhaps), for messages. */
  file: string;
  /** The file it names, symlinks resolved: the one that is replaced. */
  target: string;
  text: string;
  digest: string;
  stats: BigIntStats;
}

/** The SHA-256 of a file's bytes, to tell whether it changed since it was loaded. */
export function digestOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a regular file (through its symlinks) without blocking on a FIFO; a directory or a device is refused. */
export function readSnapshot(file: string): FileSnapshot {
  const target = realpathSync(file);
  const fd = openSync(target, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) {
      const where = target === file ? '' : ` (${target})`;
      throw new VersionEditError(`${file}: not written: not a regular file${where}`);
    }
    const bytes = readFileSync(fd);
    return { file, target, text: bytes.toString('utf8'), digest: digestOf(bytes), stats };
  } finally {
    closeSync(fd);
  }
}

export interface ReplaceOptions {
  /** The temporary file's name in the target's directory; random unless a test says otherwise. */
  temporaryName?: (base: string) => string;
}

/** `.NAME.<24 random hex digits>.tmp`: a name nobody can plant something at beforehand. */
export function temporaryNameFor(base: string): string {
  return `.${base}.${randomBytes(12).toString('hex')}.tmp`;
}

/**
 * Writes `text` to a new file beside the snapshot's target (created exclusively, with the target's mode and,
 * as root, its owner), syncs it, and renames it over the target, unless the target changed since the snapshot
 * was taken. The temporary file is removed on any failure.
 */
export function replaceFile(snapshot: FileSnapshot, text: string, options: ReplaceOptions = {}): void {
  const directory = path.dirname(snapshot.target);
  const temporary = path.join(directory, (options.temporaryName ?? temporaryNameFor)(path.basename(snapshot.target)));
  const mode = Number(snapshot.stats.mode) & 0o7777;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode & 0o700);
  try {
    try {
      writeText(fd, text);
      if (process.getuid?.() === 0) fchownSync(fd, Number(snapshot.stats.uid), Number(snapshot.stats.gid));
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    assertUnchanged(snapshot);
    renameSync(temporary, snapshot.target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  syncDirectory(directory);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone; the error that matters is the one being thrown.
  }
}

function writeText(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** The target is still the file that was read, byte for byte: same device, inode, size and modification time. */
function assertUnchanged(snapshot: FileSnapshot): void {
  const change = changeSince(snapshot);
  if (change !== undefined) {
    throw new VersionEditError(`${snapshot.file} changed since it was read (${change}): not rewritten`);
  }
}

function changeSince(snapshot: FileSnapshot): string | undefined {
  let now: BigIntStats;
  try {
    now = lstatSync(snapshot.target, { bigint: true });
  } catch {
    return 'it is gone';
  }
  const before = snapshot.stats;
  if (now.dev !== before.dev || now.ino !== before.ino) return 'it was replaced';
  if (now.size !== before.size || now.mtimeNs !== before.mtimeNs) return 'it was written to';
  if (digestOf(readFileSync(snapshot.target)) !== snapshot.digest) return 'its content differs';
  return undefined;
}

/** Makes the rename durable; a file system that cannot sync a directory is left as it is. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // The file is in place; only its durability across a power cut is not assured.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
