// Fails when a source line is longer than the formatter's width: Biome wraps code, not long strings or comments.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const LIMIT = 120;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src/*.ts'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
const long = files.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.length > LIMIT ? [`${file}:${i + 1}: ${line.length} characters`] : [])),
);
for (const line of long) console.error(line);
if (long.length > 0) {
  console.error(`${long.length} source line(s) longer than ${LIMIT} characters`);
  process.exit(1);
}
