import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Integers that must survive any client: carried as base-10 strings, accepted as strings or
 * JSON numbers, and limited to ±(2^53-1) so that even a client parsing them as doubles is exact.
 */
function safeIntegerScalar(name: string, description: string): GraphQLScalarType<bigint, string> {
  const invalid = (): GraphQLError =>
    new GraphQLError(`${name} must be a whole number between -${MAX_SAFE} and ${MAX_SAFE}, as a string or integer`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  const parse = (value: unknown): bigint => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) {
      const parsed = BigInt(value);
      if (parsed >= -MAX_SAFE && parsed <= MAX_SAFE) return parsed;
    }
    throw invalid();
  };
  return new GraphQLScalarType<bigint, string>({
    name,
    description,
    serialize: (value) => {
      if (typeof value === 'bigint' || typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value))) {
        return BigInt(value).toString();
      }
      throw new GraphQLError(`${name} cannot represent ${typeof value}`);
    },
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parse(ast.value);
      throw invalid();
    },
  });
}

export const AmountScalar = safeIntegerScalar(
  'Amount',
  'An exact amount in the minor units of its currency (minutes for HOUR), as a base-10 string; inputs also accept a JSON integer. Range ±(2^53-1). Never a float.',
);

export const Int64Scalar = safeIntegerScalar(
  'Int64',
  'A 64-bit counter such as an account version, as a base-10 string. Range ±(2^53-1).',
);

const MAX_JSON_BYTES = 4096;

function parseObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be a JSON object', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_BYTES) {
    throw new GraphQLError(`JSONObject must be at most ${MAX_JSON_BYTES} bytes`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value as Record<string, unknown>;
}

function literalToValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToValue(field.value)]));
    case Kind.LIST:
      return ast.values.map(literalToValue);
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    default:
      throw new GraphQLError('JSONObject literals cannot contain variables', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: `A JSON object of at most ${MAX_JSON_BYTES} bytes, for client-defined metadata.`,
  serialize: (value) => value as Record<string, unknown>,
  parseValue: parseObject,
  parseLiteral: (ast) => parseObject(literalToValue(ast)),
});
