// How parsing an upstream's answer grows with its size, on pages made to be hostile:
// node bench/upstream-parse.mjs [MAX_MIB]   (needs the build: npm ci builds, else npm run build)
//
// For sizes doubling up to MAX_MIB (default 16, the most UpstreamHttp reads), times listingLinks and
// datedFolders over a page of unclosed `<a ` tags, unclosed `<h1 ` headings and comments, and
// parseChecksumFile over lines made to make a pattern backtrack. Linear parsing doubles its time with the
// size; a quadratic one quadruples it. Prints one line per size and the ratio to the size before.
import { parseChecksumFile } from '../dist/upstream/checksums.js';
import { datedFolders, listingLinks } from '../dist/upstream/listing.js';

const MIB = 1024 * 1024;
const max = Number(process.argv[2] ?? 16);

function filled(size, parts) {
  const share = Math.floor(size / parts.length);
  return parts.map((part) => part.repeat(Math.floor(share / part.length))).join('');
}

const inputs = {
  listing: (size) => filled(size, ['<a ', '>', '<h1 <h1 href= ', '>', '<a href="x" <a ']),
  checksums: (size) =>
    filled(size, [`SHA256 (${')= 0'.repeat(64)}\n`, `\\${'0'.repeat(1000)}\n`, `A${'-'.repeat(200)}(\n`]),
};
const parsers = {
  listing: (text) => listingLinks(text).length + datedFolders(text).length,
  checksums: (text) => parseChecksumFile(text).length,
};

for (const kind of Object.keys(inputs)) {
  let before;
  for (let mib = 1 / 16; mib <= max; mib *= 2) {
    const text = inputs[kind](Math.floor(mib * MIB));
    const start = process.hrtime.bigint();
    parsers[kind](text);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const ratio = before === undefined ? '' : `  ×${(ms / before).toFixed(1)}`;
    console.log(`${kind.padEnd(9)} ${String(mib * 1024).padStart(6)} KiB  ${ms.toFixed(1).padStart(9)} ms${ratio}`);
    before = ms;
  }
}
