import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { webStreamOf } from './web-stream.js';

/** The bzip2 program that decodes .bz2 sources: libbz2's own, from Debian's `bzip2` package. */
const BZIP2 = 'bzip2';

/**
 * The bzip2 stream decoded by libbz2 in a `bzip2 -dc` process (no npm bzip2 decoder streams with backpressure
 * at a useful speed: see README, Compressed images). Pipes carry the backpressure both ways; the output ends only
 * once the process has exited cleanly, so a cut or corrupt stream, or bytes after its end (which bzip2 only
 * warns about), error it instead. Cancelling it ends the process.
 */
export function bunzip2(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const child = spawn(BZIP2, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const complaints: string[] = [];
  child.stdin.on('error', () => undefined); // a process that stopped reading says why by its exit
  child.stderr.setEncoding('utf8').on('data', (text: string) => complaints.push(text));
  const output = webStreamOf(child.stdout);
  const fed = feed(input, child.stdin).catch((error: unknown) => {
    child.kill();
    return error instanceof Error ? error : new Error(String(error));
  });
  const exited = new Promise<Error | undefined>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        new Error(error.code === 'ENOENT' ? `${BZIP2} is not installed (Debian: apt install bzip2)` : error.message),
      ),
    );
    child.once('close', async (code) => {
      const complaint = complaints
        .join('')
        .trim()
        .split('\n')[0]
        ?.replace(/^bzip2: /, '');
      const fault = await fed;
      if (fault) resolve(fault);
      else if (code !== 0) resolve(new Error(`bzip2 failed: ${complaint || `exit code ${code}`}`));
      else resolve(complaint ? new Error(`bzip2: ${complaint}`) : undefined);
    });
  });
  const reader = output.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (!next.done) return controller.enqueue(next.value);
      const fault = await exited;
      if (fault) controller.error(fault);
      else controller.close();
    },
    cancel(reason) {
      child.kill();
      input.cancel(reason).catch(() => undefined);
      return reader.cancel(reason);
    },
  });
}

/** Writes the stream into the process's stdin, waiting whenever the pipe is full. */
async function feed(input: ReadableStream<Uint8Array>, stdin: NodeJS.WritableStream): Promise<undefined> {
  for await (const chunk of input) {
    if (!stdin.write(chunk)) await once(stdin, 'drain');
  }
  stdin.end();
  return undefined;
}
