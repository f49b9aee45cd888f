import { createHmac } from 'node:crypto';
import { newWebhookSecret, webhookSignature, webhookSignatureHeader } from './webhook-signature.js';

describe('webhook signatures', () => {
  it("matches the Standard Webhooks specification's example", () => {
    const signature = webhookSignature(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('makes secrets of 32 random bytes, marked whsec_', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs with every live secret, space-separated, each verifiable alone', () => {
    const [older, newer] = [newWebhookSecret(), newWebhookSecret()];
    const header = webhookSignatureHeader([newer, older], 'id', 1700000000, '{}');
    const expected = [newer, older].map(
      (secret) =>
        `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
          .update('id.1700000000.{}')
          .digest('base64')}`,
    );
    expect(header.split(' ')).toEqual(expected);
  });
});
