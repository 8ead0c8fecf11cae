import { describe, expect, it } from 'vitest';
import { MirrorBoard } from '../../../src/cli/progress/mirror-board.js';
import type { MirrorAction, MirrorOutcome } from '../../../src/mirror/copy.js';
import type { MirrorTarget } from '../../../src/mirror/targets.js';
import { FakeClock } from '../net/fake-clock.js';

const MIB = 2 ** 20;

function targetOf(version: string, shortname = 'demo'): MirrorTarget {
  const object = `${shortname}/${version}-${shortname}.raw`;
  return { definition: 'Demo', version, url: `http://upstream.test/${version}.raw`, format: 'raw', object };
}

function outcomeOf(target: MirrorTarget, action: MirrorAction): MirrorOutcome {
  const { definition, version, url: source, object } = target;
  return { definition, version, source, object, mirrorUrl: `http://mirror.test/${object}`, action };
}

function boardAt(start = 1_000_000) {
  const time = new FakeClock(start);
  const changes: string[] = [];
  const board = new MirrorBoard(
    () => time.now(),
    () => changes.push(board.lines(100)[1] ?? board.lines(100)[0] ?? 'nothing'),
  );
  return { time, board, changes };
}

describe('the live board of mirror', () => {
  it('shows whose turn it is with the counts so far, and a row for the running copy', () => {
    const { time, board } = boardAt();
    const [a, b, c] = [targetOf('1.0'), targetOf('1.1'), targetOf('1.2')] as [MirrorTarget, MirrorTarget, MirrorTarget];
    board.planned([a, b, c]);
    expect(board.lines(100)).toEqual(['mirroring 1 of 3 versions']);
    board.started(a);
    time.advance(300);
    expect(board.lines(100)).toEqual([
      'mirroring 1 of 3 versions',
      expect.stringMatching(/^ {2}demo\/1\.0-demo\.raw +checking +0\.3s$/),
    ]);
    board.ended(outcomeOf(a, 'present'));
    board.started(b);
    board.phase(b, 'reading');
    time.advance(1000);
    board.phase(b, 'uploading');
    board.bytes(b, 0, 40 * MIB);
    time.advance(2000);
    board.bytes(b, 16 * MIB, 40 * MIB);
    expect(board.lines(100)).toEqual([
      'mirroring 2 of 3 versions: 1 present',
      expect.stringMatching(/^ {2}demo\/1\.1-demo\.raw +uploading +3\.0s +16\.0 MiB of 40\.0 MiB, 8\.0 MiB\/s$/),
    ]);
    board.phase(b, 'committing');
    expect(board.lines(100)[1]).toMatch(/committing +3\.0s$/);
    board.ended(outcomeOf(b, 'copied'));
    board.started(c);
    expect(board.lines(100)[0]).toBe('mirroring 3 of 3 versions: 1 present, 1 copied');
    board.ended(outcomeOf(c, 'failed'));
    // Every version has ended: nothing left to draw.
    expect(board.lines(100)).toEqual([]);
  });

  it('counts a dry run and every other ending by what it means, naming only the counts there are', () => {
    const { board } = boardAt();
    const actions: MirrorAction[] = ['would-copy', 'would-recopy', 'present', 'recopied', 'skipped', 'failed'];
    const targets = [...actions.map((_, i) => targetOf(`${i}`)), targetOf('last')];
    board.planned(targets);
    actions.forEach((action, i) => {
      const target = targets[i] as MirrorTarget;
      board.started(target);
      board.ended(outcomeOf(target, action));
    });
    expect(board.lines(200)).toEqual([
      'mirroring 7 of 7 versions: 1 present, 1 copied, 2 would copy, 1 skipped, 1 failed',
    ]);
  });

  it('is drawn again when the copy starts, changes phase, gets its first count or ends, not for each count', () => {
    const { board, changes } = boardAt();
    const a = targetOf('1.0');
    board.planned([a]);
    board.started(a);
    board.phase(a, 'reading');
    board.phase(a, 'reading');
    board.phase(a, 'uploading');
    board.bytes(a, 0);
    board.bytes(a, 10);
    board.bytes(a, 20);
    board.phase(a, 'committing');
    board.ended(outcomeOf(a, 'copied'));
    expect(changes).toEqual([
      'mirroring 1 of 1 version',
      expect.stringMatching(/checking/),
      expect.stringMatching(/reading/),
      expect.stringMatching(/uploading/),
      expect.stringMatching(/uploading +0\.0s +0 B$/),
      expect.stringMatching(/committing +0\.0s$/),
      'nothing',
    ]);
  });

  it("ignores a late event of a version that is not the running one's", () => {
    const { board } = boardAt();
    const [a, b] = [targetOf('1.0'), targetOf('1.1')];
    board.planned([a, b]);
    board.started(a);
    board.ended(outcomeOf(a, 'failed'));
    board.started(b);
    board.phase(a, 'uploading');
    board.bytes(a, 99, 100);
    expect(board.lines(100)[1]).toMatch(/^ {2}demo\/1\.1-demo\.raw +checking +0\.0s$/);
  });

  it('cuts every line to the width and escapes what a definition names the object', () => {
    const { board } = boardAt();
    const evil = targetOf(`1.0\u001b[31m${'x'.repeat(80)}`, 'evil\u001b]0;owned\u0007');
    board.planned([evil]);
    board.started(evil);
    for (const line of board.lines(50)) {
      expect([...line].length).toBeLessThanOrEqual(50);
      expect([...line].some((char) => char.charCodeAt(0) < 32)).toBe(false);
    }
    expect(board.lines(50)[1]).toContain('evil\\u001b]0;owned\\u0007');
  });
});
