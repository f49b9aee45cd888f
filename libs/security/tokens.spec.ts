import { newToken, TOKEN_PREFIX, tokenHash } from './tokens.js';

describe('tokens', () => {
  it('are the prefix and 32 random bytes in base64url, never twice the same', () => {
    const first = newToken(TOKEN_PREFIX.access);
    expect(first).toMatch(/^pa_[A-Za-z0-9_-]{43}$/);
    expect(newToken(TOKEN_PREFIX.access)).not.toBe(first);
  });

  it('are stored as their SHA-256 in hex', () => {
    // sha256("abc"), the FIPS 180-2 test vector.
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenHash('pa_example')).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash('pa_example')).not.toBe(tokenHash('pa_exampl3'));
  });
});
