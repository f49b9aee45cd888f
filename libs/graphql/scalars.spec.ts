import { Kind } from 'graphql';
import { AmountScalar, JSONObjectScalar } from './scalars.js';

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

  it.each([['9007199254740992'], [9007199254740992], [1.5], ['1.5'], ['1e3'], [''], [' 5'], [true], [{}], [null], ['12345678901234567890']])(
    'refuses %p',
    (input) => {
      expect(() => AmountScalar.parseValue(input)).toThrow(/Amount must be a whole number/);
    },
  );

  it('parses literals, and refuses floats in queries', () => {
    expect(AmountScalar.parseLiteral({ kind: Kind.INT, value: '42' })).toBe(42n);
    expect(AmountScalar.parseLiteral({ kind: Kind.STRING, value: '42' })).toBe(42n);
    expect(() => AmountScalar.parseLiteral({ kind: Kind.FLOAT, value: '4.2' })).toThrow(/Amount/);
  });

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
});
