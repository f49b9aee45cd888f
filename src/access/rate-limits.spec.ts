import { addressBucket, RATE_LIMITS, rateLimitNote } from './rate-limits.js';

describe('rate limits', () => {
  it('counts IPv4 addresses one by one and IPv6 addresses by their /64', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:0db8:0000:0001:bbbb:cccc:dddd:eeee')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('unknown')).toBe('unknown');
  });

  it('describes a limit for the schema', () => {
    expect(rateLimitNote(RATE_LIMITS.register)).toBe(
      'Rate limit: 10 an hour per client address; beyond it, a RATE_LIMITED error with retryAfterSeconds, and nothing done.',
    );
    expect(rateLimitNote(RATE_LIMITS.requestExport)).toMatch(
      /^Rate limit: 30 an hour per account and 60 an hour per client address;/,
    );
  });
});
