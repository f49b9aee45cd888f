import { PipeTransform } from '@nestjs/common';
import { Args, ArgsOptions, Extensions, Field, FieldOptions, ID, ReturnTypeFunc } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { defaultFieldResolver, GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
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

/** The extension key of an output field that reads its object's `id` as the bare database id (`databaseId`). */
export const DATABASE_ID_EXTENSION = 'databaseIdOfObject';

/**
 * An output field holding the database id of a `typeName` row (or a list of them): clients read
 * its global id. Use it in place of `@Field(() => ID, options)`. `encodeIds` does the encoding,
 * once the schema is built.
 */
export function GlobalIdField(typeName: string, { list, ...options }: GlobalIdFieldOptions = {}): PropertyDecorator {
  return (target, property) => {
    Field(idType(list), options)(target, property);
    Extensions({ [GLOBAL_ID_EXTENSION]: typeName })(target, property);
  };
}

const encodedResolvers = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** Applies `encode` to what `resolve` gives, without making a promise of a value that is none. */
function encodingResolver(
  resolve: GraphQLFieldResolver<unknown, unknown>,
  encode: (value: unknown) => unknown,
): GraphQLFieldResolver<unknown, unknown> {
  const encoding: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    const value = resolve(source, args, context, info);
    return isPromiseLike(value) ? value.then(encode) : encode(value);
  };
  encodedResolvers.add(encoding);
  return encoding;
}

/**
 * Gives every output field marked by `GlobalIdField` its global id, and every one marked with
 * DATABASE_ID_EXTENSION its object's bare id: a transformation of the schema, made once when it is
 * built, that wraps the field's resolver (a property's, or a resolver method's). Nest's field
 * middleware would do the same at a cost in every row: it makes each such field a promise, and so
 * the object holding it too. Safe to apply twice (Nest transforms the schema it prints first).
 */
export function encodeIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      if (encodedResolvers.has(resolve)) continue;
      const typeName = field.extensions[GLOBAL_ID_EXTENSION];
      if (typeof typeName === 'string')
        field.resolve = encodingResolver(resolve, (value) => mapIds(value, (id) => toGlobalId(typeName, id)));
      else if (field.extensions[DATABASE_ID_EXTENSION])
        field.resolve = encodingResolver((source) => (source as { id: unknown }).id, String);
    }
  }
  return schema;
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
