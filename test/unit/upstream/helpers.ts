import { readFileSync } from 'node:fs';
import { UpstreamError } from '../../../src/upstream/http.js';

/** The text of a fixture under test/fixtures/upstream/. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/upstream/${path}`, import.meta.url), 'utf8');
}

/** The UpstreamError a promise rejects with; any other outcome fails the test. */
export async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}
