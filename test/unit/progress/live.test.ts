import { createLogUpdate } from 'log-update';
import { describe, expect, it } from 'vitest';
import { LiveView } from '../../../src/cli/progress/live.js';
import { COPIES, IMPORTS, startProgress } from '../../../src/cli/progress/index.js';
import { ProgressBoard } from '../../../src/cli/progress/board.js';
import { MirrorBoard } from '../../../src/cli/progress/mirror-board.js';
import { PassThrough } from 'node:stream';
import { hasControl, importOf, resultOf } from './fixtures.js';
import { turns } from '../net/fake-clock.js';

/** A terminal that keeps what it was sent. */
function fakeTerminal() {
  const written: string[] = [];
  return {
    written,
    isTTY: true,
    columns: 100,
    rows: 30,
    write(text: string) {
      written.push(text);
      return true;
    },
    text: () => written.join(''),
  };
}

const ESC = '\u001b';
const cursorUp = new RegExp(`${ESC}\\[\\d*A`);
const eraseLine = new RegExp(`${ESC}\\[2K`);

/**
 * What a terminal shows after the output, for the sequences log-update sends: cursor up and down, to column 1,
 * erase the line; text is written at the end of the line (log-update erases a line before it writes it).
 */
function screen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  const pattern = new RegExp(`${ESC}\\[(\\d*)([A-Za-z])|${ESC}\\[\\?2026[hl]|\n|\r|[^${ESC}\n\r]+`, 'g');
  for (const [token, count, command] of output.matchAll(pattern)) {
    if (token === '\n') {
      row++;
      lines[row] ??= '';
    } else if (token === '\r' || command === 'G') {
      // column 0: the next text overwrites the line, which log-update has erased first
    } else if (command === 'A') row -= Number(count || 1);
    else if (command === 'B') row += Number(count || 1);
    else if (command === 'K' && count === '2')
      lines[row] = ''; // the whole line; `K` alone: after the cursor
    else if (command === undefined && !token.startsWith('\u001b')) lines[row] = (lines[row] ?? '') + token;
    lines[row] ??= '';
  }
  // Rows erased at the bottom are blank on the screen: they show nothing.
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

describe('the live view on a terminal', () => {
  it('draws the running imports, moves the cursor to redraw, and keeps log lines above the area', () => {
    const terminal = fakeTerminal();
    let now = 0;
    const frames = createLogUpdate(terminal as never, { showCursor: true });
    const view = new LiveView(terminal, frames, (changed) => new ProgressBoard(() => now, changed));
    const a = importOf(1, 'Demo Linux (20250101)');
    const b = importOf(2, 'Tiny 0.6.2');
    view.log('2026-01-01 10:00:00 | INFO     | Loaded 2 image definitions\n');
    view.board.actionStarted(a);
    view.board.actionStarted(b);
    now += 1000;
    view.board.phase(a, 'downloading', 'by Glance');
    view.logStream.write('2026-01-01 10:00:01 | INFO     | Tested URL http://x/a.qcow2: 200\n');
    view.board.phase(b, 'uploading');
    view.board.bytes(b, 1024, 4096);
    now += 1000;
    view.draw();
    const during = terminal.text();
    expect(during).toMatch(cursorUp); // the cursor went up to redraw
    expect(during).toMatch(eraseLine); // and erased lines
    expect(screen(during)).toEqual([
      '2026-01-01 10:00:00 | INFO     | Loaded 2 image definitions',
      '2026-01-01 10:00:01 | INFO     | Tested URL http://x/a.qcow2: 200',
      '2 imports running, 0 actions ended',
      expect.stringMatching(/^ {2}Demo Linux \(20250101\) +downloading +2\.0s +by Glance$/),
      expect.stringMatching(/^ {2}Tiny 0\.6\.2 +uploading +2\.0s +1\.0 KiB of 4\.0 KiB, 1\.0 KiB\/s$/),
    ]);
    view.board.actionEnded(a, resultOf(a, 'done'));
    view.board.actionEnded(b, resultOf(b, 'done'));
    view.log('2026-01-01 10:00:03 | INFO     | 2 actions done\n');
    view.stop();
    expect(screen(terminal.text())).toEqual([
      '2026-01-01 10:00:00 | INFO     | Loaded 2 image definitions',
      '2026-01-01 10:00:01 | INFO     | Tested URL http://x/a.qcow2: 200',
      '2026-01-01 10:00:03 | INFO     | 2 actions done',
    ]);
  });

  it('draws any board: the copies of a mirror, log lines above them, nothing once every version ended', () => {
    const terminal = fakeTerminal();
    let now = 0;
    const frames = createLogUpdate(terminal as never, { showCursor: true });
    const view = new LiveView(terminal, frames, (changed) => new MirrorBoard(() => now, changed));
    const target = {
      definition: 'Demo',
      version: '1.0',
      url: 'http://x/1.0.raw',
      format: 'raw',
      object: 'demo/1.0.raw',
    };
    view.board.planned([target]);
    view.board.started(target);
    view.board.phase(target, 'uploading');
    view.board.bytes(target, 0, 4096);
    now += 2000;
    view.board.bytes(target, 2048, 4096);
    view.log('2026-01-01 10:00:02 | WARNING  | a warning\n');
    expect(screen(terminal.text())).toEqual([
      '2026-01-01 10:00:02 | WARNING  | a warning',
      'mirroring 1 of 1 version',
      expect.stringMatching(/^ {2}demo\/1\.0\.raw +uploading +2\.0s +2\.0 KiB of 4\.0 KiB, 1\.0 KiB\/s$/),
    ]);
    view.board.ended({ ...target, source: target.url, mirrorUrl: 'http://m/demo/1.0.raw', action: 'copied' });
    expect(screen(terminal.text())).toEqual(['2026-01-01 10:00:02 | WARNING  | a warning']);
    view.stop();
  });

  it('writes log lines as they are, without a control character, while no import runs', () => {
    const terminal = fakeTerminal();
    const frames = createLogUpdate(terminal as never, { showCursor: true });
    const view = new LiveView(terminal, frames, (changed) => new ProgressBoard(() => 0, changed));
    view.log('one\n');
    view.log('two\n');
    view.stop();
    expect(terminal.text()).toBe('one\ntwo\n');
  });
});

describe('startProgress', () => {
  it('leaves stderr as it is when it is no terminal, when logs are JSON, or with --no-progress', async () => {
    const pipe = new PassThrough();
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    for (const [options, stream] of [
      [{ logFormat: 'text', progress: true }, pipe],
      [{ logFormat: 'json', progress: true }, tty],
      [{ logFormat: 'text', progress: false }, tty],
    ] as const) {
      const progress = await startProgress(options, stream, IMPORTS);
      expect(progress.stderr).toBe(stream);
      expect(progress.observer).toBeUndefined();
      progress.stop();
    }
  });

  it('shows the board it is given: the copies of a mirror', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const out: string[] = [];
    tty.on('data', (chunk) => out.push(String(chunk)));
    const progress = await startProgress({ logFormat: 'text', progress: true }, tty, COPIES);
    progress.observer?.planned?.([{ definition: 'D', version: '1', url: 'http://x/1', format: 'raw', object: 'd/1' }]);
    progress.stop();
    await turns(1);
    expect(out.join('')).toContain('mirroring 1 of 1 version');
  });

  it('shows the live view on a terminal with text logs', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const out: string[] = [];
    tty.on('data', (chunk) => out.push(String(chunk)));
    const progress = await startProgress({ logFormat: 'text', progress: true }, tty, IMPORTS);
    expect(progress.stderr).not.toBe(tty);
    progress.observer?.actionStarted?.(importOf(1, 'Tiny'));
    progress.stderr.write('a log line\n');
    progress.stop();
    await turns(1);
    const text = out.join('');
    expect(hasControl(text)).toBe(true);
    expect(text).toContain('1 import running');
    expect(text).toContain('a log line');
  });
});
