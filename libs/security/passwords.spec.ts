import { hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('are hashed with argon2id, salted, and verified', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery!')).toBe(false);
  });

  it('never verify for a member without a password, whatever is typed', async () => {
    expect(await verifyPassword(null, 'no member has this password: it only spends the time a real check takes')).toBe(
      false,
    );
    expect(await verifyPassword(null, '')).toBe(false);
  });
});
