import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks' marking of a signing secret: what follows is the base64 of the key's bytes. */
const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, as Standard Webhooks receivers' libraries expect them. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** `v1,` and the base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under the secret's decoded bytes. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The `webhook-signature` header: one signature per live secret, space-separated, so that a
 * receiver verifies with the old secret or the new one while a rotation's grace period lasts.
 */
export function webhookSignatureHeader(secrets: string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => webhookSignature(secret, id, timestamp, body)).join(' ');
}
