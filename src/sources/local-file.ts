import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskUserinfo } from '../net/redact.js';

/** A file: URL refused by the allowlist, or an unreadable one. */
export class LocalFileError extends Error {
  override readonly name = 'LocalFileError';
}

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

/** A file: URL as a path; OIM accepts both `file:///path` and `file:path`. */
export function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
}

/**
 * Why a file: URL may not be read, or undefined when it may: its real path (symlinks and `..` resolved)
 * must be a regular file under the real path of one of `dirs`. Any other URL is not this check's business.
 */
export function localFileProblem(url: string, dirs: readonly string[]): string | undefined {
  if (!isFileUrl(url)) return undefined;
  const checked = checkLocalFile(url, dirs);
  return 'problem' in checked ? checked.problem : undefined;
}

/** The real path of a file: URL the allowlist lets this tool read, or why not (see localFileProblem). */
export function checkLocalFile(url: string, dirs: readonly string[]): { path: string } | { problem: string } {
  if (!isFileUrl(url)) return { problem: `${maskUserinfo(url)} is not a file: URL` };
  let given: string;
  try {
    given = filePath(url);
  } catch (error) {
    return { problem: `${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (dirs.length === 0) {
    return { problem: `${given}: file: URLs are refused unless --allow-local-files names a directory holding them` };
  }
  let real: string;
  try {
    real = realpathSync(given);
  } catch {
    return { problem: `${given} does not exist or cannot be reached` };
  }
  const allowed = dirs.flatMap((dir) => realDir(dir) ?? []);
  if (!allowed.some((dir) => real.startsWith(dir.endsWith(sep) ? dir : dir + sep))) {
    const via = real === resolve(given) ? '' : ` (where ${given} leads)`;
    return { problem: `${real}${via} lies outside the directories allowed by --allow-local-files: ${dirs.join(', ')}` };
  }
  if (!statSync(real).isFile()) return { problem: `${real} is not a regular file` };
  return { path: real };
}

function realDir(dir: string): string | undefined {
  if (!dir) return undefined;
  try {
    return realpathSync(dir);
  } catch {
    return undefined; // a directory that does not exist allows nothing
  }
}
