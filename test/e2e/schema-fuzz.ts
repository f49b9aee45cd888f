import * as fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/**
 * Inputs for every argument of a schema, generated from the schema itself: a plausible valid value
 * for each argument (so that a request gets past the checks in front of the code under test), with,
 * most of the time, one argument or input field spoilt by a hostile value from a catalogue. Nothing
 * here names a field of Pumasi's schema: ids are matched to objects by the argument's name.
 */

/** Text written into the request body as it is: integers past 2^53, `1e400`, nesting too deep for JSON.stringify. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An argument or input field left out of the request altogether. */
export const OMITTED: unique symbol = Symbol('omitted');

export type Path = (string | number)[];

/** One place a value can go: a root field's argument, or a field of an input object inside one. */
export interface Slot {
  path: Path;
  /** The argument's or input field's own name, which says what its value means (`debitAccountId`, `email`). */
  name: string;
  type: GraphQLInputType;
}

/** A hostile value with a name a reader recognises in a failure message. */
export interface Hostile {
  label: string;
  value: unknown;
}

/** What the world of the test offers the generator: real ids to aim at, and strings that mean something. */
export interface FuzzPools {
  /** Ids by the schema type of the object they name (Account, Transfer, ...), each with whose object it is. */
  ids: Record<string, { id: string; owner: string }[]>;
  /** Strings that are valid for an argument of this name: emails, passwords, slugs, categories, tokens. */
  strings: Record<string, string[]>;
}

export interface FuzzCase {
  caller: string;
  variables: Record<string, unknown>;
  /** The one value that was spoilt, if any; null for a case of valid values only. */
  spoil: { path: string; label: string } | null;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

/** The root fields of a schema's query and mutation types, as `Query.name` and `Mutation.name`. */
export function rootFields(
  schema: GraphQLSchema,
): { coordinate: string; operation: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([operation, type]) =>
    type
      ? Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, operation, field }))
      : [],
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

/** A field can be selected without arguments when none of its arguments is required. */
const selectableBare = (field: GraphQLField<unknown, unknown>): boolean =>
  field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);

/** The `userErrors { code }` of a payload type, where it has them, so that a refusal is seen. */
function userErrorsSelection(type: GraphQLObjectType): string | null {
  const userErrors = type.getFields().userErrors;
  return userErrors && isObjectType(getNamedType(userErrors.type)) ? 'userErrors { code }' : null;
}

/**
 * A small valid selection of a return type, built without a hand-written document: its scalar and
 * enum fields (first level only, to stay far below the cost limit), its userErrors, and those of
 * payloads one level down (a batch's results), so that a refusal in any of them is seen.
 */
export function selectionOf(type: GraphQLNamedType): string {
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) return '{ __typename }';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!selectableBare(field)) continue;
    if (isLeafType(named)) parts.push(field.name);
    else if (field.name === 'userErrors') parts.push(userErrorsSelection(type)!);
    else if (isObjectType(named) && userErrorsSelection(named))
      parts.push(`${field.name} { ${userErrorsSelection(named)} }`);
  }
  return `{ ${parts.join(' ')} }`;
}

/**
 * The operation that calls one root field with every argument as a variable. An argument with a
 * default is declared nullable, so that leaving its variable out leaves the default in force.
 */
export function documentFor(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const declared = (arg: (typeof field.args)[number]): string =>
    `$${arg.name}: ${arg.defaultValue !== undefined && isNonNullType(arg.type) ? String(arg.type.ofType) : String(arg.type)}`;
  const definitions = field.args.length ? `(${field.args.map(declared).join(', ')})` : '';
  const args = field.args.length ? `(${field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  return `${operation} Fuzz${definitions} { ${field.name}${args} ${selectionOf(getNamedType(field.type))} }`;
}

/** The request body, with RawJson written verbatim and OMITTED values left out. */
export function requestBody(query: string, variables: Record<string, unknown>): string {
  return `{"query":${JSON.stringify(query)},"variables":${writeJson(variables)}}`;
}

function writeJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => (item === OMITTED ? 'null' : writeJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== OMITTED);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${writeJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------
// Where values go

/** Deep enough for every input type of an API; the guard only stops a self-referencing input type. */
const MAX_INPUT_DEPTH = 5;

/** Every argument of a field and every input field inside them; a list's items are reached through index 0. */
export function slotsOf(field: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  const visit = (path: Path, name: string, type: GraphQLInputType, depth: number): void => {
    slots.push({ path, name, type });
    if (depth >= MAX_INPUT_DEPTH) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) visit([...path, 0], name, nullable.ofType, depth + 1);
    else if (isInputObjectType(nullable))
      for (const inner of Object.values(nullable.getFields()))
        visit([...path, inner.name], inner.name, inner.type, depth + 1);
  };
  for (const arg of field.args) visit([arg.name], arg.name, arg.type, 0);
  return slots;
}

export const formatPath = (path: Path): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index ? `.${part}` : part)).join('');

/** A copy of `root` with `value` at `path`; containers on the way exist (the valid value was built to have them). */
export function withValueAt(root: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy: any = Array.isArray(root) ? [...root] : { ...root };
  copy[head] = rest.length ? withValueAt(copy[head] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value) : value;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Valid values

/** The kind of object an id argument names, from its name: `debitAccountId` → Account, `groupId` → ExchangeGroup. */
export function idKind(argumentName: string, pools: FuzzPools, returnTypeName: string): string | undefined {
  const stem = argumentName.replace(/Ids?$/, '').toLowerCase();
  const kinds = Object.keys(pools.ids);
  if (stem === '' || stem === 'id') return kinds.find((kind) => returnTypeName.replace(/Payload$/, '') === kind);
  return (
    kinds.find((kind) => stem.endsWith(kind.toLowerCase())) ??
    kinds.find((kind) => kind.toLowerCase().endsWith(stem)) ??
    // The other party of an exchange is a member, whatever the argument calls them.
    (/counterparty|receiver|provider|actor|subject|author/.test(stem) ? 'Member' : undefined)
  );
}

/** Arguments whose name says they point at someone other than the caller: the payee, the other party. */
const POINTS_AT_OTHERS = /^(credit|counterparty|receiver|subject)/i;

function validId(name: string, pools: FuzzPools, returnTypeName: string): fc.Arbitrary<string> {
  const kind = idKind(name, pools, returnTypeName);
  const candidates = kind ? pools.ids[kind] : Object.values(pools.ids).flat();
  if (!candidates?.length) return fc.constant('1');
  // Mostly the caller's own objects (or, for a payee, a neighbour's), so that requests get through to
  // the code behind the access checks; the rest of the time anyone's, other communities' included.
  const ownedByCaller = (entry: { owner: string }): boolean => entry.owner.startsWith('A ');
  const neighbourly = (entry: { owner: string }): boolean =>
    !ownedByCaller(entry) && !/other community/.test(entry.owner);
  const preferred = candidates.filter(POINTS_AT_OTHERS.test(name) ? neighbourly : ownedByCaller);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(preferred.length ? preferred : candidates).map((entry) => entry.id)) },
    { weight: 1, arbitrary: fc.constantFrom(...candidates.map((entry) => entry.id)) },
  );
}

const plainText = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }).filter((text) => text.trim().length > 0);

function validString(name: string, pools: FuzzPools): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  if (lower.includes('idempotencykey'))
    return fc.oneof(
      { weight: 9, arbitrary: fc.uuid().map((uuid) => `fuzz-${uuid}`) },
      { weight: 1, arbitrary: fc.constant('fuzz-reused-key') },
    );
  // Where a new value is as valid as a known one (a new email registers someone new), both are drawn.
  const fresh = lower.includes('email')
    ? fc.uuid().map((uuid) => `fuzz-${uuid.slice(0, 8)}@fuzz.example`)
    : lower.includes('password')
      ? fc.constant(GOOD_PASSWORD)
      : lower.includes('slug')
        ? fc.uuid().map((uuid) => `fuzz-${uuid.slice(0, 8)}`)
        : null;
  const known = pools.strings[name];
  if (known?.length)
    return fresh
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fresh })
      : fc.constantFrom(...known);
  return fresh ?? plainText;
}

function validInt(name: string): fc.Arbitrary<number> {
  const lower = name.toLowerCase();
  if (lower === 'first') return fc.integer({ min: 1, max: 100 });
  if (lower.includes('rating')) return fc.integer({ min: 1, max: 5 });
  if (lower.includes('percent')) return fc.integer({ min: 0, max: 99 });
  if (lower.includes('seconds')) return fc.integer({ min: 60, max: 864_000 });
  if (lower.includes('windows')) return fc.integer({ min: 1, max: 52 });
  if (lower.includes('factor')) return fc.integer({ min: 2, max: 1000 });
  return fc.integer({ min: 1, max: 100 });
}

const validJsonObject = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
  { maxKeys: 4 },
);

function validScalar(typeName: string, name: string, pools: FuzzPools, returnTypeName: string): fc.Arbitrary<unknown> {
  switch (typeName) {
    case 'ID':
      return validId(name, pools, returnTypeName);
    case 'String':
      return validString(name, pools);
    case 'Int':
      return validInt(name);
    case 'Float':
      return fc.double({ min: 0, max: 100, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    // Amounts arrive as strings or as JSON integers; both are valid.
    case 'Amount':
      return fc.integer({ min: 1, max: 120 }).chain((amount) => fc.constantFrom<unknown>(String(amount), amount));
    case 'Int64':
      return fc.integer({ min: 1, max: 5 }).map(String);
    case 'DateTime':
      return fc
        .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-06-01T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString());
    case 'JSONObject':
      return validJsonObject;
    // A scalar this file does not know yet: a string is its likeliest wire form.
    default:
      return plainText;
  }
}

/**
 * A valid value for a type. Optional parts are sometimes left out, except those on `forced`: the
 * path to the slot that will be spoilt, which must exist for the spoilt value to reach the server.
 */
export function validValue(
  type: GraphQLInputType,
  name: string,
  pools: FuzzPools,
  returnTypeName: string,
  forced: Path = [],
): fc.Arbitrary<unknown> {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    // Distinct items: lists of ids and scopes are sets to the API, and a repeat is refused before anything else is looked at.
    return fc.uniqueArray(validValue(nullable.ofType, name, pools, returnTypeName, forced.slice(1)), {
      minLength: 1,
      maxLength: 3,
      selector: (item) => JSON.stringify(item),
    });
  }
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    return fc.record(
      Object.fromEntries(
        fields.map((inner) => {
          const value = validValue(
            inner.type,
            inner.name,
            pools,
            returnTypeName,
            forced[0] === inner.name ? forced.slice(1) : [],
          );
          const required = (isNonNullType(inner.type) && inner.defaultValue === undefined) || forced[0] === inner.name;
          return [inner.name, required ? value : fc.option(value, { nil: OMITTED, freq: 2 })];
        }),
      ),
    );
  }
  if (isEnumType(nullable)) return fc.constantFrom(...nullable.getValues().map((value) => value.name));
  return validScalar(nullable.name, name, pools, returnTypeName);
}

/** Valid variables for a field's arguments, with the slots on `forced` present. */
function validArguments(
  field: GraphQLField<unknown, unknown>,
  pools: FuzzPools,
  forced: Path,
): fc.Arbitrary<Record<string, unknown>> {
  const returnTypeName = getNamedType(field.type).name;
  return fc.record(
    Object.fromEntries(
      field.args.map((arg) => {
        const value = validValue(
          arg.type,
          arg.name,
          pools,
          returnTypeName,
          forced[0] === arg.name ? forced.slice(1) : [],
        );
        const required = (isNonNullType(arg.type) && arg.defaultValue === undefined) || forced[0] === arg.name;
        return [arg.name, required ? value : fc.option(value, { nil: OMITTED, freq: 2 })];
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const h = (label: string, value: unknown): Hostile => ({ label, value });

const deepObject = (levels: number): unknown => {
  let value: unknown = { leaf: true };
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};
const deepArray = (levels: number): unknown => {
  let value: unknown = [];
  for (let level = 0; level < levels; level += 1) value = [value];
  return value;
};

/** Characters a text column or a JSON parser may choke on. */
const HOSTILE_CHARACTERS = fc
  .oneof(
    fc.integer({ min: 0, max: 0x1f }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.constantFrom(0x7f, 0x85, 0xa0, 0x200b, 0x202e, 0x2028, 0xfeff, 0xfffe, 0xffff),
    fc.integer({ min: 0x20, max: 0xffff }),
  )
  .map((code) => String.fromCharCode(code));

/** Any leaf, any type: what a client sends when it gets the type wrong, or sends nothing. */
const WRONG_TYPES: Hostile[] = [
  h('null', null),
  h('left out', OMITTED),
  h('true', true),
  h('the number 0', 0),
  h('the number -1', -1),
  h('a word', 'fuzz'),
  h('an empty list', []),
  h('a list of one null', [null]),
  h('an empty object', {}),
  h('an object', { nope: 1 }),
];

const HUGE_STRING = 'x'.repeat(100_000);
const TEXTS: Hostile[] = [
  h('an empty string', ''),
  h('spaces', '   '),
  h('a NUL in the middle', 'a\u0000b'),
  h('a lone NUL', '\u0000'),
  h('control characters', '\u0001\u0002\u0007\u0008\u001b\u007f'),
  h('CR LF', 'line\r\nline'),
  h('a lone high surrogate', '\ud800'),
  h('a lone low surrogate', '\udfff'),
  h('a lone surrogate inside text', 'a\ud800b'),
  h('a reversed surrogate pair', '\udc00\ud800'),
  h('100 KB of ASCII', HUGE_STRING),
  h('90 KB of Hangul', '가'.repeat(30_000)),
  h('an astral emoji', '👩‍👩‍👧‍👦'),
  h('right-to-left override', '\u202egnp.exe'),
  h('zero-width characters', '\u200b\u200c\u200d\ufeff'),
  h('LIKE wildcards', '%_%'),
  h('a backslash', '\\'),
  h('a lone quote', "'"),
  h('SQL', "' OR 1=1; DROP TABLE transfers; --"),
  h('a U+FFFF non-character', '\uffff'),
  h('combining marks', 'e\u0301\u0301\u0301\u0301'),
  h('a NUL at the end', 'fuzz\u0000'),
];

const BEYOND_INT64 = '9223372036854775808';
const IDS: Hostile[] = [
  h('zero', '0'),
  h('minus one', '-1'),
  h('a fraction', '1.5'),
  h('letters', 'abc'),
  h('padded', ' 1 '),
  h('hex', '0x10'),
  h('an exponent', '1e3'),
  h('an Arabic-Indic digit', '٣'),
  h('2^53+1', '9007199254740993'),
  h('2^63-1', '9223372036854775807'),
  h('2^63', BEYOND_INT64),
  h('-(2^63)-1', '-9223372036854775809'),
  h('1000 digits', '1'.repeat(1000)),
  h('2^63 as a JSON number', new RawJson(BEYOND_INT64)),
  h('1e21 as a JSON number', 1e21),
  h('1.5 as a JSON number', 1.5),
  h('an id no row has', '9000000000000000000'),
  h('a NUL after digits', '1\u0000'),
];

const NUMBERS: Hostile[] = [
  h('2^31-1', 2 ** 31 - 1),
  h('2^31', 2 ** 31),
  h('-(2^31)-1', -(2 ** 31) - 1),
  h('2^53', 2 ** 53),
  h('2^53+1', new RawJson('9007199254740993')),
  h('2^63', new RawJson(BEYOND_INT64)),
  h('-(2^63)', new RawJson(`-${BEYOND_INT64}`)),
  h('1e21', 1e21),
  h('1e400', new RawJson('1e400')),
  h('-1e400', new RawJson('-1e400')),
  h('a fraction', 1.5),
  h('minus zero', new RawJson('-0')),
  h('the largest double', Number.MAX_VALUE),
  h('a digit string', '5'),
  h('a huge negative', -(2 ** 53)),
];

const AMOUNTS: Hostile[] = [
  h('minus one', '-1'),
  h('zero', '0'),
  h('minus zero', '-0'),
  h('2^53-1', '9007199254740991'),
  h('2^53', '9007199254740992'),
  h('-(2^53)', '-9007199254740992'),
  h('2^63', BEYOND_INT64),
  h('2^64 as a JSON number', new RawJson('18446744073709551616')),
  h('400 digits', '9'.repeat(400)),
  h('a fraction', '1.5'),
  h('an exponent', '1e3'),
  h('a plus sign', '+5'),
  h('a leading zero', '05'),
  h('hex', '0x10'),
  h('a full-width digit', '５'),
  h('1e400', new RawJson('1e400')),
  h('2^53 as a JSON number', 2 ** 53),
  h('a NUL after digits', '5\u0000'),
  h('padded', ' 5 '),
  h('1.0 as a JSON number', new RawJson('1.0')),
];

const DATES: Hostile[] = [
  h('30 February', '2026-02-30T00:00:00Z'),
  h('a time with no zone', '2026-12-04T13:00:00'),
  h('a date alone', '2026-12-04'),
  h('month 13', '2026-13-01T00:00:00Z'),
  h('hour 24', '2026-12-04T24:00:00Z'),
  h('a leap second', '2026-12-31T23:59:60Z'),
  h('a +14:00 offset', '2026-12-04T13:00:00+14:00'),
  h('nanoseconds', '2026-12-04T13:00:00.123456789Z'),
  h('year 0', '0000-01-01T00:00:00Z'),
  h('year 1', '0001-01-01T00:00:00Z'),
  h('year 9999', '9999-12-31T23:59:59.999Z'),
  h('the last instant JavaScript holds', '+275760-09-13T00:00:00.000Z'),
  h('past the last instant JavaScript holds', '+275760-09-13T00:00:00.001Z'),
  h('a negative year', '-000001-01-01T00:00:00Z'),
  h('before 1970', '1969-12-31T23:59:59Z'),
  h('a word', 'yesterday'),
  h('milliseconds as a JSON number', 1_764_850_000_000),
  h('a NUL after the date', '2026-12-04T13:00:00Z\u0000'),
  h('an ISO week date', '2026-W49-5'),
  h('lowercase t and z', '2026-12-04t13:00:00z'),
];

/** 4 KB of metadata is allowed; these sit on and around the limit, and nest deeper than any parser expects. */
const JSON_OBJECTS: Hostile[] = [
  h('an object nested 1,500 levels', deepObject(1500)),
  h('a list nested 1,500 levels inside an object', { a: deepArray(1500) }),
  h('a list nested 50,000 levels inside an object', new RawJson(`{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`)),
  h('5,000 keys', Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, index]))),
  h('a NUL in a key', { 'a\u0000': 1 }),
  h('a NUL in a value', { a: 'b\u0000' }),
  h('lone surrogates', { '\ud800': '\udc00' }),
  h('a __proto__ key', new RawJson('{"__proto__":{"polluted":true}}')),
  h('a constructor key', { constructor: { prototype: { polluted: true } } }),
  h('2^64 inside', { big: new RawJson('18446744073709551616') }),
  h('1e400 inside', { big: new RawJson('1e400') }),
  h('exactly 4096 bytes', { x: 'x'.repeat(4096 - 8) }),
  h('4097 bytes', { x: 'x'.repeat(4096 - 7) }),
  h('4 KB of Hangul', { x: '가'.repeat(1400) }),
  h('a list', [1, 2]),
  h('a string', 'x'),
  h('a number', 42),
  h('an empty object', {}),
  h('duplicate keys', new RawJson('{"a":1,"a":2}')),
];

const cursor = (text: string): string => Buffer.from(text).toString('base64url');
/** Page cursors are opaque base64url positions; these decode to positions no page has, or to nothing. */
const CURSORS: Hostile[] = [
  h('a cursor at 2^63', cursor('v1:9223372036854775808')),
  h('a cursor at 19 nines', cursor('v1:9999999999999999999')),
  h('a cursor at 0', cursor('v1:0')),
  h('a cursor at -1', cursor('v1:-1')),
  h('a cursor of another version', cursor('v2:5')),
  h('a cursor with a NUL', cursor('v1:5\u0000')),
  h('a cursor that is not base64', 'not a cursor!'),
  h('a cursor in standard base64 with padding', Buffer.from('v1:5').toString('base64')),
];

const BOOLEANS: Hostile[] = [h('the string true', 'true'), h('the number 1', 1), h('the string yes', 'yes')];

function enumHostiles(values: string[]): Hostile[] {
  return [
    h('an unknown value', 'NOPE'),
    h('a lowercase value', values[0].toLowerCase()),
    h('a value with a NUL', `${values[0]}\u0000`),
    h('a quoted value', `"${values[0]}"`),
  ];
}

/** Lists at and past any sensible size, and lists whose items are not what the schema says. */
function listHostiles(itemExample: unknown): Hostile[] {
  return [
    h(
      '1,001 items',
      Array.from({ length: 1001 }, () => itemExample),
    ),
    h(
      '10,000 items',
      Array.from({ length: 10_000 }, () => itemExample),
    ),
    h('an empty list', []),
    h('one item, not in a list', itemExample),
    h('a null item', [itemExample, null]),
  ];
}

function scalarHostiles(typeName: string): fc.Arbitrary<Hostile> {
  const randomText = fc
    .string({ minLength: 1, maxLength: 40, unit: HOSTILE_CHARACTERS })
    .map((text) => h('random control and surrogate characters', text));
  switch (typeName) {
    case 'ID':
      return fc.oneof(fc.constantFrom(...IDS), fc.constantFrom(...TEXTS), randomText);
    case 'String':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TEXTS) }, { weight: 1, arbitrary: randomText });
    case 'Int':
    case 'Float':
      return fc.oneof(
        fc.constantFrom(...NUMBERS),
        fc.integer().map((value) => h('a random integer', value)),
      );
    case 'Amount':
    case 'Int64':
      return fc.oneof(
        fc.constantFrom(...AMOUNTS),
        fc.constantFrom(...NUMBERS),
        fc.bigInt().map((value) => h('a random integer string', String(value))),
      );
    case 'DateTime':
      return fc.oneof(fc.constantFrom(...DATES), fc.constantFrom(...TEXTS));
    case 'JSONObject':
      return fc.constantFrom(...JSON_OBJECTS);
    case 'Boolean':
      return fc.constantFrom(...BOOLEANS);
    default:
      return fc.oneof(fc.constantFrom(...TEXTS), fc.constantFrom(...NUMBERS));
  }
}

/** Hostile values for a slot: of its own type, of the wrong type, or missing. */
export function hostileValue(slot: Slot, itemExample: unknown): fc.Arbitrary<Hostile> {
  const nullable = getNullableType(slot.type);
  const own = /^(after|before)$/.test(slot.name)
    ? fc.oneof(fc.constantFrom(...CURSORS), fc.constantFrom(...TEXTS))
    : isListType(nullable)
      ? fc.constantFrom(...listHostiles(itemExample))
      : isInputObjectType(nullable)
        ? fc.constantFrom(
            h('a list instead of an object', [{}]),
            h('a string instead of an object', 'x'),
            h('an unknown field', { nope: 1 }),
          )
        : isEnumType(nullable)
          ? fc.constantFrom(...enumHostiles(nullable.getValues().map((value) => value.name)))
          : scalarHostiles(nullable.name);
  return fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) });
}

// ---------------------------------------------------------------------------------------------
// Cases

/** What a list slot's item looks like, for a list of 1,001 of them: the valid item at index 0. */
function itemAt(variables: Record<string, unknown>, path: Path): unknown {
  let value: any = variables;
  for (const part of [...path, 0]) value = value?.[part];
  return value === OMITTED ? null : (value ?? null);
}

/**
 * One request's worth of arguments for a field, and who sends it: three cases in four spoil one
 * slot (chosen among all of the field's arguments and input fields) with a hostile value; the
 * fourth is valid throughout, so that the success path runs too.
 */
export function caseArbitrary(
  field: GraphQLField<unknown, unknown>,
  pools: FuzzPools,
  callers: fc.Arbitrary<string>,
): fc.Arbitrary<FuzzCase> {
  const slots = slotsOf(field);
  const target = slots.length ? fc.option(fc.constantFrom(...slots), { nil: null, freq: 4 }) : fc.constant(null);
  return target.chain((slot) =>
    fc
      .record({ caller: callers, variables: validArguments(field, pools, slot?.path ?? []) })
      .chain(({ caller, variables }): fc.Arbitrary<FuzzCase> => {
        if (!slot) return fc.constant({ caller, variables, spoil: null });
        return hostileValue(slot, itemAt(variables, slot.path)).map((hostile) => ({
          caller,
          variables: withValueAt(variables, slot.path, hostile.value),
          spoil: { path: formatPath(slot.path), label: hostile.label },
        }));
      }),
  );
}

/** Variables as a failure message shows them: long strings cut, deep values summarised. */
export function preview(value: unknown, depth = 0): string {
  if (value === OMITTED) return '<left out>';
  if (value instanceof RawJson)
    return value.text.length > 60 ? `${value.text.slice(0, 60)}… (${value.text.length} chars)` : value.text;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}… (${value.length} chars)` : value);
  if (Array.isArray(value))
    return depth > 3
      ? '[…]'
      : `[${value
          .slice(0, 3)
          .map((item) => preview(item, depth + 1))
          .join(', ')}${value.length > 3 ? `, … (${value.length} items)` : ''}]`;
  if (value !== null && typeof value === 'object') {
    if (depth > 3) return '{…}';
    const entries = Object.entries(value);
    return `{ ${entries
      .slice(0, 12)
      .map(([key, item]) => `${key}: ${preview(item, depth + 1)}`)
      .join(', ')}${entries.length > 12 ? `, … (${entries.length} keys)` : ''} }`;
  }
  return String(value);
}
