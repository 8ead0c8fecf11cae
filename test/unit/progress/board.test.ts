import { describe, expect, it } from 'vitest';
import { ProgressBoard } from '../../../src/cli/progress/board.js';
import { FakeClock } from '../net/fake-clock.js';
import { hideOf, importOf, resultOf } from './fixtures.js';

const clock = () => new FakeClock(1_000_000);

describe('the live board', () => {
  it('shows a line per running import with its phase and elapsed time, and a line of counts', () => {
    const time = clock();
    const board = new ProgressBoard(() => time.now());
    const a = importOf(1, 'Ubuntu 24.04 (20250101)');
    const b = importOf(2, 'Tiny 0.6.2');
    board.actionStarted(a);
    time.advance(2000);
    board.actionStarted(b);
    board.phase(a, 'downloading', 'by Glance');
    time.advance(1500);
    board.phase(a, 'downloading', 'Glance: importing');
    const lines = board.lines(100);
    expect(lines[0]).toBe('2 imports running, 0 actions ended');
    expect(lines[1]).toMatch(/^ {2}Ubuntu 24\.04 \(20250101\) +downloading +3\.5s +Glance: importing$/);
    expect(lines[2]).toMatch(/^ {2}Tiny 0\.6\.2 +creating +1\.5s$/);
  });

  it('shows bytes, total and rate while the tool uploads, and drops them in the next phase', () => {
    const time = clock();
    const board = new ProgressBoard(() => time.now());
    const a = importOf(1, 'Debian 12');
    board.actionStarted(a);
    board.phase(a, 'uploading');
    board.bytes(a, 0, 40 * 2 ** 20);
    time.advance(2000);
    board.bytes(a, 16 * 2 ** 20, 40 * 2 ** 20);
    expect(board.lines(100)[1]).toMatch(/uploading +2\.0s +16\.0 MiB of 40\.0 MiB, 8\.0 MiB\/s$/);
    board.phase(a, 'importing');
    expect(board.lines(100)[1]).toMatch(/importing +2\.0s$/);
  });

  it('only imports get a line; an ended action leaves and is counted, failures named', () => {
    const time = clock();
    const changes: number[] = [];
    const board = new ProgressBoard(
      () => time.now(),
      () => changes.push(time.now()),
    );
    const a = importOf(1, 'A');
    const b = importOf(2, 'B');
    const hide = hideOf(3, 'C');
    board.actionStarted(hide);
    expect(board.active).toBe(false);
    board.actionEnded(hide, resultOf(hide, 'done'));
    board.actionStarted(a);
    board.actionStarted(b);
    board.actionEnded(a, resultOf(a, 'failed', { message: 'boom' }));
    expect(board.lines(100)).toEqual([
      expect.stringMatching(/^1 import running, 2 actions ended, 1 failed$/),
      expect.stringMatching(/^ {2}B /),
    ]);
    board.actionEnded(b, resultOf(b, 'done'));
    expect(board.active).toBe(false);
    expect(board.lines(100)).toEqual([]);
    // Told of: a started, b started, a ended, b ended (the update makes no line, so no redraw).
    expect(changes).toHaveLength(4);
  });

  it('cuts every line to the width and escapes what Glance or a definition says', () => {
    const board = new ProgressBoard(() => 0);
    const a = importOf(1, `Evil\u001b[31m ${'long '.repeat(30)}`);
    board.actionStarted(a);
    board.phase(a, 'failed', 'task said \u001b]0;owned\u0007');
    for (const line of board.lines(60)) {
      expect([...line].length).toBeLessThanOrEqual(60);
      expect([...line].some((char) => char.charCodeAt(0) < 32)).toBe(false);
    }
    expect(board.lines(200)[1]).toContain('task said \\u001b]0;owned\\u0007');
  });
});
