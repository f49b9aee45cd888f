import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';
import { ClientError, ErrorCode } from './error-code.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Where each scalar's wire format is specified (@specifiedBy in schema.gql): a client generator or
 * a partner reads the format there rather than guessing it from a description.
 */
const SCALARS_DOC = 'https://github.com/pumasi/pumasi/blob/main/docs/scalars.md';

/**
 * Integers that must survive any client: carried as base-10 strings, accepted as strings or
 * JSON numbers, and limited to ±(2^53-1) so that even a client parsing them as doubles is exact.
 */
function safeIntegerScalar(
  name: string,
  description: string,
  specifiedByURL: string,
): GraphQLScalarType<bigint, string> {
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
    specifiedByURL,
    serialize: (value) => {
      if (
        typeof value === 'bigint' ||
        typeof value === 'number' ||
        (typeof value === 'string' && /^-?\d+$/.test(value))
      ) {
        const integer = BigInt(value);
        // Served, it would be read wrong by every client that parses numbers as doubles: better no value than a wrong one.
        if (integer < -MAX_SAFE || integer > MAX_SAFE) {
          throw new ClientError(
            ErrorCode.VALUE_OUT_OF_RANGE,
            `This ${name} is beyond ±${MAX_SAFE} and cannot be served exactly`,
          );
        }
        return integer.toString();
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
  `${SCALARS_DOC}#amount`,
);

export const Int64Scalar = safeIntegerScalar(
  'Int64',
  'A 64-bit counter such as an account version, as a base-10 string. Range ±(2^53-1).',
  `${SCALARS_DOC}#int64`,
);

const MAX_JSON_BYTES = 4096;
const MAX_JSON_DEPTH = 16;

/** How deeply objects and lists nest in a JSON value, counted without recursion (a hostile depth must not overflow the stack). */
function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

function parseObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be a JSON object', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (exceedsDepth(value, MAX_JSON_DEPTH)) {
    throw new GraphQLError(`JSONObject must nest at most ${MAX_JSON_DEPTH} levels deep`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_BYTES) {
    throw new GraphQLError(`JSONObject must be at most ${MAX_JSON_BYTES} bytes`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
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
      throw new GraphQLError('JSONObject literals cannot contain variables', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
  }
}

export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: `A JSON object of at most ${MAX_JSON_BYTES} bytes and ${MAX_JSON_DEPTH} levels of nesting, for client-defined metadata. Its strings follow the rules of every text input: no control characters but tab, LF and CR, and no unpaired surrogates.`,
  specifiedByURL: `${SCALARS_DOC}#jsonobject`,
  serialize: (value) => value as Record<string, unknown>,
  parseValue: parseObject,
  parseLiteral: (ast) => parseObject(literalToValue(ast)),
});

/** YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm): RFC 3339, with the offset required. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant a date-time names, or undefined when it has no offset or names a day or time that does not exist. */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  const exists =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  return exists ? new Date(text) : undefined;
}

export const DATE_TIME_REFUSAL =
  'DateTime must be an RFC 3339 date-time with an offset, such as 2026-12-04T13:00:00+09:00 or 2026-12-04T04:00:00Z, naming a real day and time';

function parseDateTimeInput(value: unknown): Date {
  const parsed = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (!parsed) throw new GraphQLError(DATE_TIME_REFUSAL, { extensions: { code: 'BAD_USER_INPUT' } });
  return parsed;
}

/**
 * Replaces Nest's DateTime, which read a date-time without an offset as UTC (nine hours off in
 * Seoul) and rolled 2026-02-30 over to 2 March without a word.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant, as an RFC 3339 date-time with its offset: 2026-12-04T13:00:00+09:00 or 2026-12-04T04:00:00Z. Inputs without an offset, or naming a day or time that does not exist (2026-02-30), are refused. Served in UTC with milliseconds; finer fractions in inputs are truncated to the millisecond.',
  // What it serves is exactly that profile of RFC 3339; what it accepts is a superset (docs/scalars.md).
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
  serialize: (value) => {
    // Raw SQL rows may carry a timestamp as text; the driver's rows carry Dates.
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    if (date && !Number.isNaN(date.getTime())) return date.toISOString();
    throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: parseDateTimeInput,
  parseLiteral: (ast: ValueNode) => parseDateTimeInput(ast.kind === Kind.STRING ? ast.value : undefined),
});
