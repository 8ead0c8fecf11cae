import { PassThrough } from 'node:stream';
import { main, type MainIo } from '../../../src/cli/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as `image-manager ARGS`, and collects what it wrote; `terminal`: stderr is a TTY. */
export async function runMain(
  args: string[],
  io: Partial<Omit<MainIo, 'stdout' | 'stderr'>> = {},
  terminal = false,
): Promise<MainResult> {
  const stdout = new PassThrough();
  const stderr = terminal ? Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) : new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await main(['node', 'image-manager', ...args], { env: {}, ...io, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
