import { describe, expect, it } from 'vitest';
import { assertShareable, isShareable, PrivateCaptureError, shareableOnly } from '$lib/db/privacy';

describe('private captures never leave the device', () => {
  const open = { id: 'a', private: false };
  const secret = { id: 'b', private: true };

  it('says which captures may be shared and keeps order', () => {
    expect(isShareable(open)).toBe(true);
    expect(isShareable(secret)).toBe(false);
    expect(shareableOnly([secret, open, secret])).toEqual([open]);
  });

  it('refuses a private capture with a clear error and a stable code', () => {
    expect(() => assertShareable(open)).not.toThrow();
    expect(() => assertShareable(secret)).toThrow(PrivateCaptureError);
    expect(() => assertShareable(secret)).toThrow(/never sent/);
  });
});
