import { statSync } from 'node:fs';

/** A regular file (or a symlink to one); false for a directory, a dangling symlink or a missing path. */
export function isFile(filePath: string): boolean {
  try {
    return statSync(filePath).isFile();
  } catch {
    return false;
  }
}
