import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

// The least Node the tool runs on is said in three places: what npm reads, what the command refuses below,
// and what scripts/node22.sh brings. They must say the same.
describe('the least Node version', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const [, major, minor] = /^>=(\d+)\.(\d+)\.0$/.exec(engines) ?? [];

  it('is one version in package.json', () => {
    expect(major).toBeDefined();
  });

  it('is the one bin/image-manager.js refuses below', () => {
    const bin = read('bin/image-manager.js');
    expect(bin).toContain(`major < ${major} || (major === ${major} && minor < ${minor})`);
    expect(bin).toContain(`needs Node ${major}.${minor} or later`);
  });

  it('is the one scripts/node22.sh brings at least', () => {
    expect(read('scripts/node22.sh')).toMatch(new RegExp(`^minimum=${major}\\.${minor}\\.0$`, 'm'));
  });
});
