import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets: a prefix that says what they are, then 32 random bytes. Only their
 * SHA-256 is stored; the secret's entropy makes a slow hash unnecessary.
 */
export const TOKEN_PREFIX = { access: 'pa_', refresh: 'pr_', apiKey: 'pk_', invitation: 'pi_' } as const;

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
