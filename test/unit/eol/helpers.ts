import { readFileSync } from 'node:fs';
import { type Cycle, readCycles } from '../../../src/eol/cycles.js';

/** The text of an endoflife.date answer under test/fixtures/endoflife/ (`v0/ubuntu.json`, …). */
export function answerText(path: string): string {
  return readFileSync(new URL(`../../fixtures/endoflife/${path}`, import.meta.url), 'utf8');
}

/** The cycles of a fixture answer; a fixture that does not read is a broken test. */
export function cyclesOf(path: string): Cycle[] {
  const read = readCycles(JSON.parse(answerText(path)));
  if ('problem' in read) throw new Error(`${path}: ${read.problem}`);
  return read.cycles;
}

/** The v0 fixtures of the products the shipped catalogue follows, by product. */
export function catalogueCycles(): Map<string, Cycle[]> {
  const products = ['ubuntu', 'debian', 'almalinux', 'rocky-linux', 'centos-stream', 'centos', 'opensuse', 'fedora'];
  return new Map(products.map((product) => [product, cyclesOf(`v0/${product}.json`)]));
}
