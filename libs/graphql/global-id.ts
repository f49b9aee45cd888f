import { PipeTransform } from '@nestjs/common';
import {
  Args,
  ArgsOptions,
  Extensions,
  Field,
  FieldMiddleware,
  FieldOptions,
  ID,
  ReturnTypeFunc,
} from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { isDatabaseId, MAX_BIGINT } from '../database/database-id.js';

/**
 * Global ids (Relay's object identification): what the API says for a row is `toGlobalId(type, id)`,
 * the base64 of `Type:42`, as graphql-relay writes it, so that no two objects share an id and
 * `node(id:)` knows what to load. Inside, models and services keep the bare database id; the
 * decorators below encode where an id leaves through GraphQL and decode where one comes in, and
 * record each use in the schema's extensions (`globalId`) or `GLOBAL_ID_ARGUMENTS`, so that a test
 * can tell every ID of the schema is theirs. Free-form JSON (audit details, outbox payloads, CSV
 * exports) still carries bare ids.
 */
export function toGlobalId(typeName: string, databaseId: string | number | bigint): string {
  return Buffer.from(`${typeName}:${databaseId}`, 'utf8').toString('base64');
}

/** The type and database id a global id names, or null when it is not one of ours. */
export function fromGlobalId(globalId: string): { typeName: string; databaseId: string } | null {
  const text = Buffer.from(globalId, 'base64').toString('utf8');
  const parts = /^([A-Z][A-Za-z]*):(\d+)$/.exec(text);
  // Re-encoding must give the same text: base64 decoding is lenient and would accept look-alikes.
  if (!parts || !isDatabaseId(parts[2]) || toGlobalId(parts[1], parts[2]) !== globalId) return null;
  return { typeName: parts[1], databaseId: parts[2] };
}

/**
 * A well-formed id no row will ever have (ids are taken from sequences, far below PostgreSQL's
 * bigint ceiling). A global id of the wrong type, or one that is not ours, becomes this, so that
 * it gets exactly the answer an unknown id gets at that place (FORBIDDEN, null, or the domain's
 * userError), and never a different one that would tell whether the object exists.
 */
export const UNKNOWN_DATABASE_ID = MAX_BIGINT.toString();

/** Bare database ids are still accepted as input until then (CHANGELOG.md, Deprecated). */
export const BARE_ID_INPUT_UNTIL = '2027-06-01';

/**
 * The database id an input names, given the type expected there: a global id of that type, or
 * (deprecated) a bare database id, which passes as it is so that its checks stay as they were.
 * Anything else names no row: UNKNOWN_DATABASE_ID.
 */
export function databaseIdOf(input: string, typeName: string): string {
  // A signed number (no global id looks like one) is a bare id: "-1" and "0" stay BAD_USER_INPUT.
  if (/^[-+]?\d+$/.test(input)) return input;
  const decoded = fromGlobalId(input);
  return decoded?.typeName === typeName ? decoded.databaseId : UNKNOWN_DATABASE_ID;
}

/**
 * Applies `convert` to one id or to each of a list. Ids are strings, or numbers and bigints read
 * from the database; anything else (null, or a value GraphQL will refuse) stays as it is.
 */
function mapIds<T>(value: unknown, convert: (id: string) => T): unknown {
  if (Array.isArray(value)) return value.map((item) => mapIds(item, convert));
  const isId = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
  return isId ? convert(String(value)) : value;
}

/** The extension key of every output and input field whose ID is a global id of that type. */
export const GLOBAL_ID_EXTENSION = 'globalId';

type GlobalIdFieldOptions = Omit<FieldOptions, 'middleware'> & { list?: boolean };

const idType = (list: boolean | undefined): ReturnTypeFunc => (list ? () => [ID] : () => ID);

/**
 * An output field holding the database id of a `typeName` row (or a list of them): clients read
 * its global id. Use it in place of `@Field(() => ID, options)`.
 */
export function GlobalIdField(typeName: string, { list, ...options }: GlobalIdFieldOptions = {}): PropertyDecorator {
  const encode: FieldMiddleware = async (_context, next) =>
    mapIds(await next(), (id) => toGlobalId(typeName, id)) as string;
  return (target, property) => {
    Field(idType(list), { ...options, middleware: [encode] })(target, property);
    Extensions({ [GLOBAL_ID_EXTENSION]: typeName })(target, property);
  };
}

/**
 * An input field (of an @InputType or @ArgsType) naming a `typeName` row, or a list of them: the
 * service receives database ids. Use it in place of `@Field(() => ID, options)`; validators such
 * as `@IsDatabaseId()` then check the decoded value, as they did the bare one.
 */
export function GlobalIdInput(typeName: string, { list, ...options }: GlobalIdFieldOptions = {}): PropertyDecorator {
  return (target, property) => {
    Field(idType(list), options)(target, property);
    Extensions({ [GLOBAL_ID_EXTENSION]: typeName })(target, property);
    Transform(({ value }: { value: unknown }) => mapIds(value, (id) => databaseIdOf(id, typeName)))(target, property);
  };
}

/** Where `@GlobalIdArg` is used: arguments carry no extensions, so the schema rule test reads these. */
export const GLOBAL_ID_ARGUMENTS: { target: object; method: string; argument: string; typeName: string }[] = [];

class DatabaseIdPipe implements PipeTransform {
  constructor(private readonly typeName: string) {}

  transform(value: unknown): unknown {
    return mapIds(value, (id) => databaseIdOf(id, this.typeName));
  }
}

/** The type name an argument of `node`/`nodes` uses: a global id of any type, which the resolver decodes itself. */
export const ANY_NODE = 'Node';

/**
 * A resolver argument naming a `typeName` row (or a list of them): `@GlobalIdArg('Account', 'accountId')`
 * in place of `@Args('accountId', { type: () => ID })`. The method receives database ids.
 */
export function GlobalIdArg(
  typeName: string,
  argument: string,
  { list, ...options }: Omit<ArgsOptions, 'type'> & { list?: boolean } = {},
): ParameterDecorator {
  const pipes = typeName === ANY_NODE ? [] : [new DatabaseIdPipe(typeName)];
  return (target, method, index) => {
    GLOBAL_ID_ARGUMENTS.push({ target: target.constructor, method: String(method), argument, typeName });
    Args(argument, { ...options, type: idType(list) }, ...pipes)(target, method, index);
  };
}
