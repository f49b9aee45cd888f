import { canonicalJson, requestHash } from './request-hash.js';

describe('requestHash', () => {
  it('ignores key order at every level', () => {
    expect(requestHash({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      requestHash({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
  });

  it('tells different amounts apart, including beyond double precision', () => {
    expect(requestHash({ amount: 9007199254740993n })).not.toBe(requestHash({ amount: 9007199254740992n }));
  });

  it('keeps array order significant', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
