import { describe, expect, it } from 'vitest';
import {
  readVerificationRecord,
  type Verification,
  verificationRecord,
} from '../../../src/definitions/verification-record.js';

describe('image_verification, the record a published image carries', () => {
  it('reads back every state the run writes', () => {
    const states: Verification['state'][] = ['verified', 'source-verified', 'not-verifiable'];
    for (const state of states) {
      const verification = { state, detail: `the links of ${state}: a; b` };
      expect(readVerificationRecord(verificationRecord(verification))).toEqual(verification);
    }
  });

  it('is words a person reads, within a property of Glance', () => {
    expect(verificationRecord({ state: 'source-verified', detail: 'x' })).toBe('source verified: x');
    expect(verificationRecord({ state: 'verified', detail: 'y'.repeat(400) })).toHaveLength(255);
  });

  it('says nothing of a value it did not write', () => {
    for (const value of [undefined, null, 42, '', 'verified', 'checked: yes']) {
      expect(readVerificationRecord(value)).toBeUndefined();
    }
  });
});
