import { statSync } from 'node:fs';

/** A regular file (or a symlink to one); false for a directory, a dangling symlink or a missing path. */
export function isFile(filePath: string): boolean {
  try {
    return statSync(filePath).isFile();
  } catch {
    return false;
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory (or a symbolic link to nothing)',
  ELOOP: 'a symbolic link loop',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EROFS: 'a read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Why a file operation failed, in words, naming the path when it is not `file` (the one the caller names):
 * undefined for an error that is not the system's (a bug, say).
 */
export function fileErrorReason(error: unknown, file?: string): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  const known = REASONS[error.code];
  if (known === undefined) return error.message;
  const where = 'path' in error && typeof error.path === 'string' && error.path !== file ? `: ${error.path}` : '';
  return `${known}${where}`;
}
