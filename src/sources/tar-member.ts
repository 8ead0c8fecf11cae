import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Header } from 'tar-stream';

/** The file endings of an image of each declared format inside an archive; other formats: `.<format>`. */
const ENDINGS: Readonly<Record<string, readonly string[]>> = { raw: ['.raw', '.img'], qcow2: ['.qcow2'] };

/** Names of members a message lists at most. */
const LISTED = 20;

/** An archive without exactly one member that can be the image. */
export class TarMemberError extends Error {
  override readonly name = 'TarMemberError';
}

/**
 * The bytes of the one member of a tar archive that is the image of the declared `format` (chosen by its file
 * ending), streamed as the archive is read. Only a regular file with a plain relative name is a candidate: a
 * link, a device, a name with `..` or an absolute one never is. The result ends once the whole archive has been
 * read, and errors when no member, or more than one, is a candidate.
 */
export function tarMember(archive: ReadableStream<Uint8Array>, format: string): ReadableStream<Uint8Array> {
  return ReadableStream.from(memberChunks(archive, format));
}

async function* memberChunks(archive: ReadableStream<Uint8Array>, format: string): AsyncGenerator<Uint8Array> {
  const { extract } = await import('tar-stream'); // loaded when a source is an archive
  const entries = extract();
  const fed = pipeline(Readable.fromWeb(archive as import('node:stream/web').ReadableStream), entries);
  fed.catch(() => undefined); // its error ends the iteration below as well
  const members: string[] = [];
  let chosen: string | undefined;
  for await (const entry of entries) {
    const { header } = entry;
    members.push(header.name);
    if (!isCandidate(header, format)) {
      entry.resume();
      continue;
    }
    if (chosen !== undefined)
      throw new TarMemberError(`two members could be the ${format} image: ${chosen}, ${header.name}`);
    chosen = header.name;
    for await (const chunk of entry) yield chunk as Uint8Array;
  }
  await fed;
  if (chosen === undefined) {
    const listed = members.length > LISTED ? [...members.slice(0, LISTED), '…'] : members;
    const endings = endingsOf(format).join(' or ');
    throw new TarMemberError(
      `no member is a ${format} image (a regular file named *${endings}); members: ${listed.join(', ') || 'none'}`,
    );
  }
}

function isCandidate(header: Header, format: string): boolean {
  if (header.type !== 'file' && header.type !== 'contiguous-file') return false;
  const { name } = header;
  if (name.startsWith('/') || name.split('/').some((part) => part === '..')) return false;
  const lower = name.toLowerCase();
  return endingsOf(format).some((ending) => lower.endsWith(ending));
}

function endingsOf(format: string): readonly string[] {
  return ENDINGS[format] ?? [`.${format}`];
}
