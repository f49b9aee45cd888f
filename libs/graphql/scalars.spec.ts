import { Kind } from 'graphql';
import { ErrorCode } from './error-code.js';
import { AmountScalar, DateTimeScalar, JSONObjectScalar } from './scalars.js';

describe('Amount scalar', () => {
  it.each([
    ['90', 90n],
    [90, 90n],
    ['-60', -60n],
    ['9007199254740991', 9007199254740991n],
    [-9007199254740991, -9007199254740991n],
  ])('parses %p exactly', (input, expected) => {
    expect(AmountScalar.parseValue(input)).toBe(expected);
  });

  it.each([
    ['9007199254740992'],
    [9007199254740992],
    [1.5],
    ['1.5'],
    ['1e3'],
    [''],
    [' 5'],
    [true],
    [{}],
    [null],
    ['12345678901234567890'],
  ])('refuses %p', (input) => {
    expect(() => AmountScalar.parseValue(input)).toThrow(/Amount must be a whole number/);
  });

  it('parses literals, and refuses floats in queries', () => {
    expect(AmountScalar.parseLiteral({ kind: Kind.INT, value: '42' })).toBe(42n);
    expect(AmountScalar.parseLiteral({ kind: Kind.STRING, value: '42' })).toBe(42n);
    expect(() => AmountScalar.parseLiteral({ kind: Kind.FLOAT, value: '4.2' })).toThrow(/Amount/);
  });

  it.each([[9007199254740992n], [-9007199254740992n], ['18014398509482282']])(
    'refuses to serve %p, which clients would read wrong',
    (value) => {
      expect(() => AmountScalar.serialize(value)).toThrow(
        expect.objectContaining({ code: ErrorCode.VALUE_OUT_OF_RANGE }),
      );
    },
  );

  it('serialises as a base-10 string', () => {
    expect(AmountScalar.serialize(9007199254740991n)).toBe('9007199254740991');
    expect(AmountScalar.serialize('-5')).toBe('-5');
  });
});

describe('JSONObject scalar', () => {
  it('accepts objects and refuses anything else or anything too large', () => {
    expect(JSONObjectScalar.parseValue({ a: [1, 'b'] })).toEqual({ a: [1, 'b'] });
    expect(() => JSONObjectScalar.parseValue([1])).toThrow(/JSON object/);
    expect(() => JSONObjectScalar.parseValue('x')).toThrow(/JSON object/);
    expect(() => JSONObjectScalar.parseValue({ big: 'x'.repeat(5000) })).toThrow(/at most 4096 bytes/);
  });

  const nested = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = {};
    for (let level = 1; level < levels; level += 1) value = { a: value };
    return value;
  };

  it('accepts 16 levels of nesting and refuses 17, or 1,500, without overflowing the stack', () => {
    expect(JSONObjectScalar.parseValue(nested(16))).toEqual(nested(16));
    expect(() => JSONObjectScalar.parseValue(nested(17))).toThrow(/16 levels/);
    expect(() => JSONObjectScalar.parseValue(nested(1500))).toThrow(/16 levels/);
  });
});

describe('DateTime scalar', () => {
  it.each([
    ['2026-12-04T13:00:00+09:00', '2026-12-04T04:00:00.000Z'],
    ['2026-12-04T04:00:00Z', '2026-12-04T04:00:00.000Z'],
    ['2026-12-04t04:00:00.5z', '2026-12-04T04:00:00.500Z'],
    ['2024-02-29T23:59:59.123456-05:30', '2024-03-01T05:29:59.123Z'],
  ])('reads %s as %s', (input, instant) => {
    expect(DateTimeScalar.parseValue(input).toISOString()).toBe(instant);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: input }).toISOString()).toBe(instant);
  });

  it.each([
    ['no offset', '2026-12-04T13:00:00'],
    ['a date only', '2026-12-04'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-12-04T24:00:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-12-04T13:00:00+24:00'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['words', 'yesterday'],
    ['a number', 1764806400000],
    ['an empty string', ''],
  ])('refuses %s (%p)', (_name, input) => {
    expect(() => DateTimeScalar.parseValue(input)).toThrow(/RFC 3339 date-time with an offset/);
  });

  it('serialises in UTC with milliseconds', () => {
    expect(DateTimeScalar.serialize(new Date('2026-12-04T13:00:00+09:00'))).toBe('2026-12-04T04:00:00.000Z');
  });
});
