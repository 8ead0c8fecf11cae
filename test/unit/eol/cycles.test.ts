import { describe, expect, it } from 'vitest';
import { readCycles } from '../../../src/eol/cycles.js';
import { cyclesOf } from './helpers.js';

describe("endoflife.date's answers, both API versions", () => {
  it.each(['ubuntu', 'debian'])('%s: v0 and v1 give the same cycles', (product) => {
    expect(cyclesOf(`v1/${product}.json`)).toEqual(cyclesOf(`v0/${product}.json`));
  });

  it('reads v0 as OIM does: eol a day or a flag, Debian with its LTS end, Ubuntu LTS marked', () => {
    const debian = cyclesOf('v0/debian.json');
    expect(debian.find((cycle) => cycle.cycle === '12')).toEqual({
      cycle: '12',
      releaseDate: '2023-06-10',
      lts: false,
      eol: { kind: 'date', date: '2026-07-11' },
      extendedSupport: { kind: 'date', date: '2028-06-30' },
    });
    const ubuntu = cyclesOf('v0/ubuntu.json');
    expect(ubuntu.filter((cycle) => cycle.lts).map((cycle) => cycle.cycle)).toContain('26.04');
    expect(ubuntu.find((cycle) => cycle.cycle === '25.10')?.lts).toBe(false);
  });

  it('v0 flags: eol true has ended, false is not announced; extendedSupport true runs on, false is none', () => {
    const read = readCycles([
      { cycle: 'a', eol: true, extendedSupport: true },
      { cycle: 'b', eol: false, extendedSupport: false },
      { cycle: 7, eol: '2030-01-31', lts: '2028-01-01' },
    ]);
    expect(read).toEqual({
      cycles: [
        { cycle: 'a', lts: false, eol: { kind: 'ended' }, extendedSupport: { kind: 'not-announced' } },
        { cycle: 'b', lts: false, eol: { kind: 'not-announced' } },
        { cycle: '7', lts: true, eol: { kind: 'date', date: '2030-01-31' } },
      ],
    });
  });

  it('v1: isEoes null or absent is no extended support; a flag without a day says whether it ended', () => {
    const release = { releaseDate: '2020-01-01', isLts: false, isEol: true, eolFrom: null };
    const read = readCycles({
      result: {
        releases: [
          { ...release, name: 'x', isEoes: null, eoesFrom: null },
          { ...release, name: 'y', isEoes: false },
          { ...release, name: 'z' },
        ],
      },
    });
    expect(read).toEqual({
      cycles: [
        { cycle: 'x', releaseDate: '2020-01-01', lts: false, eol: { kind: 'ended' } },
        {
          cycle: 'y',
          releaseDate: '2020-01-01',
          lts: false,
          eol: { kind: 'ended' },
          extendedSupport: { kind: 'not-announced' },
        },
        { cycle: 'z', releaseDate: '2020-01-01', lts: false, eol: { kind: 'ended' } },
      ],
    });
  });
});

describe('an answer that is not endoflife.date’s is refused whole', () => {
  it.each([
    ['a string', 'hello', /a product document \(API v1\)/],
    ['null', null, /a product document/],
    ['an empty array', [], /an array of cycles \(API v0\): Too small/],
    ['no releases', { result: { releases: [] } }, /API v1/],
    ['a cycle without eol', [{ cycle: '1' }], /at 0\.eol/],
    ['eol a number', [{ cycle: '1', eol: 2026 }], /at 0\.eol/],
    ['a day that does not exist', [{ cycle: '1', eol: '2026-02-30' }], /not a real YYYY-MM-DD date at 0\.eol/],
    ['a day with a time', [{ cycle: '1', eol: '2026-02-03T00:00:00Z' }], /at 0\.eol/],
    ['a cycle without a name', [{ cycle: '', eol: false }], /at 0\.cycle/],
    ['a huge cycle name', [{ cycle: 'x'.repeat(201), eol: false }], /at 0\.cycle/],
    ['v1 without isEol', { result: { releases: [{ name: '1', isLts: false }] } }, /releases\.0\.isEol/],
  ])('%s', (_name, answer, problem) => {
    const read = readCycles(answer);
    expect(read).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('more cycles than any product has', () => {
    const many = Array.from({ length: 2001 }, (_, i) => ({ cycle: String(i), eol: false }));
    expect(readCycles(many)).toEqual({ problem: expect.stringMatching(/API v0/) });
    expect(readCycles(many.slice(0, 2000))).toHaveProperty('cycles');
  });

  it('a cycle listed twice: which one would be judged is not guessed', () => {
    const read = readCycles([
      { cycle: '12', eol: '2020-01-01' },
      { cycle: '12', eol: '2040-01-01' },
    ]);
    expect(read).toEqual({ problem: 'cycle "12" is listed twice' });
  });
});
