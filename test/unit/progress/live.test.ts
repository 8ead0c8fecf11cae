import { createLogUpdate } from 'log-update';
import { describe, expect, it } from 'vitest';
import { LiveView } from '../../../src/cli/progress/live.js';
import { startProgress } from '../../../src/cli/progress/index.js';
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
    const view = new LiveView(terminal, createLogUpdate(terminal as never, { showCursor: true }), () => now);
    const a = importOf(1, 'Demo Linux (20250101)');
    const b = importOf(2, 'Tiny 0.6.2');
    view.log('2026-01-01 10:00:00 | INFO     | Loaded 2 image definitions\n');
    view.observer.actionStarted?.(a);
    view.observer.actionStarted?.(b);
    now += 1000;
    view.observer.phase?.(a, 'downloading', 'by Glance');
    view.logStream.write('2026-01-01 10:00:01 | INFO     | Tested URL http://x/a.qcow2: 200\n');
    view.observer.phase?.(b, 'uploading');
    view.observer.bytes?.(b, 1024, 4096);
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
    view.observer.actionEnded?.(a, resultOf(a, 'done'));
    view.observer.actionEnded?.(b, resultOf(b, 'done'));
    view.log('2026-01-01 10:00:03 | INFO     | 2 actions done\n');
    view.stop();
    expect(screen(terminal.text())).toEqual([
      '2026-01-01 10:00:00 | INFO     | Loaded 2 image definitions',
      '2026-01-01 10:00:01 | INFO     | Tested URL http://x/a.qcow2: 200',
      '2026-01-01 10:00:03 | INFO     | 2 actions done',
    ]);
  });

  it('writes log lines as they are, without a control character, while no import runs', () => {
    const terminal = fakeTerminal();
    const view = new LiveView(terminal, createLogUpdate(terminal as never, { showCursor: true }), () => 0);
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
      const progress = await startProgress(options, stream);
      expect(progress.stderr).toBe(stream);
      expect(progress.observer).toBeUndefined();
      progress.stop();
    }
  });

  it('shows the live view on a terminal with text logs', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const out: string[] = [];
    tty.on('data', (chunk) => out.push(String(chunk)));
    const progress = await startProgress({ logFormat: 'text', progress: true }, tty);
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
