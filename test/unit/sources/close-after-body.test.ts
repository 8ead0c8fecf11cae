import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const READS = 10;
const MIB = 4;

/**
 * nodejs/undici#5360: when the socket ended while backpressure held the body (a server that closes the connection
 * right after the body, a slow reader), undici 7 threw an AssertionError from the socket's 'end' handler, which
 * nothing can catch: the process died. The reads run in a child process (close-after-body.child.ts), so that such
 * a crash is an exit code here and not the death of the test runner.
 */
describe('a source that closes the connection right after the body', () => {
  it('is read to its last byte by a slow reader every time, and the process lives', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        './test/support/ts-register.mjs',
        'test/unit/sources/close-after-body.child.ts',
        `${READS}`,
        `${MIB}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.stderr).not.toMatch(/AssertionError|assert\(/);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.stdout.trim().split('\n')).toEqual(Array(READS).fill(`done ${MIB * 2 ** 20}`));
  }, 150_000);
});
