import { readFileSync } from 'node:fs';

/** The text of a fixture under test/fixtures/upstream/. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/upstream/${path}`, import.meta.url), 'utf8');
}
