import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (19 MiB, 2 passes), OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * A hash of a password nobody knows. Checking against it when an email is unknown makes a failed
 * login take as long as a wrong password, so timing does not reveal which emails have accounts.
 */
const NOBODY = hash('no member has this password: it only spends the time a real check takes');

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  const ok = await verify(passwordHash ?? (await NOBODY), password);
  return ok && passwordHash !== null;
}
