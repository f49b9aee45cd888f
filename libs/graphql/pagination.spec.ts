import { ConnectionCursors, decodeCursor, encodeCursor, toConnection } from './pagination.js';

describe('cursors', () => {
  it('round-trip positions beyond 2^53', () => {
    expect(decodeCursor(encodeCursor(9223372036854775807n))).toBe(9223372036854775807n);
  });

  it.each([['garbage'], [Buffer.from('v2:5').toString('base64url')], [Buffer.from('v1:-5').toString('base64url')]])(
    'refuses %p',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(/not a cursor/);
    },
  );
});

describe('cursors that name their connection', () => {
  const signals = new ConnectionCursors('RiskSignalConnection', 2);

  it('round-trip keys of several parts', () => {
    expect(signals.decode(signals.encode([2n, 9223372036854775807n]))).toEqual([2n, 9223372036854775807n]);
    expect(signals.decode(null)).toBeUndefined();
  });

  it.each([
    ['garbage', 'garbage'],
    ["another connection's", new ConnectionCursors('SessionConnection', 2).encode([2n, 5n])],
    ['an untagged one', encodeCursor(5n)],
    ['one with a part missing', new ConnectionCursors('RiskSignalConnection').encode([5n])],
    ['one beyond bigint', Buffer.from('v1:RiskSignalConnection:1.9223372036854775808').toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(() => signals.decode(cursor)).toThrow(/after is not a cursor of RiskSignalConnection/);
  });
});

describe('toConnection', () => {
  it('uses the extra row only to tell that a next page exists', () => {
    const page = toConnection(
      [5, 4, 3],
      2,
      (n) => BigInt(n),
      (n) => ({ n }),
      true,
    );
    expect(page.edges.map((edge) => edge.node.n)).toEqual([5, 4]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor(4n) });
    expect(
      toConnection(
        [],
        2,
        (n: number) => BigInt(n),
        (n) => n,
        false,
      ).pageInfo,
    ).toMatchObject({ hasNextPage: false, startCursor: null });
  });
});
