import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  GraphQLObjectType,
} from 'graphql';
import { emptyPayload, INVALID_INPUT } from '../../libs/graphql/invalid-input.js';

/**
 * The one shape of every live mutation, checked on the committed `schema.gql` (which
 * `npm run schema:check` keeps equal to the code's): `(input: XInput!)`, returning a non-null
 * payload with `userErrors: [X!]!`, X implementing UserError with a `code` enum that has
 * INVALID_INPUT; every result field able to say "refused" (nullable, a list, a Boolean or a count), so
 * that input validation can be answered as userErrors. Deprecated mutations are exempt: they keep
 * their old shape until their removal.
 */
function mutationShapeViolations(schema: GraphQLSchema): string[] {
  const userError = schema.getType('UserError');
  if (!isInterfaceType(userError)) return ['the interface UserError is missing'];
  const violations: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (/UserError$/.test(type.name) && type !== userError) {
      if (!isObjectType(type) || !type.getInterfaces().includes(userError))
        violations.push(`${type.name} does not implement UserError`);
    }
  }
  for (const mutation of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    if (mutation.deprecationReason) continue;
    const name = `Mutation.${mutation.name}`;
    const [argument, ...others] = mutation.args;
    if (!argument || others.length > 0 || argument.name !== 'input')
      violations.push(`${name} must take exactly one argument, named input`);
    else if (!isNonNullType(argument.type) || !isInputObjectType(argument.type.ofType))
      violations.push(`${name}(input:) must be a non-null input type`);
    if (!isNonNullType(mutation.type) || !isObjectType(mutation.type.ofType)) {
      violations.push(`${name} must return a non-null object type`);
      continue;
    }
    violations.push(...payloadViolations(name, mutation.type.ofType, userError.name));
  }
  return violations;
}

function payloadViolations(name: string, payload: GraphQLObjectType, userError: string): string[] {
  const userErrors = payload.getFields().userErrors;
  const listed = userErrors && isNonNullType(userErrors.type) && userErrors.type.ofType;
  const item = listed && isListType(listed) && isNonNullType(listed.ofType) ? listed.ofType.ofType : undefined;
  if (!isObjectType(item) || !item.getInterfaces().some((implemented) => implemented.name === userError))
    return [`${name} returns ${payload.name}, which needs userErrors: [X!]! with X implementing UserError`];
  const violations: string[] = [];
  const codes = item.getFields().code && getNamedType(item.getFields().code.type);
  if (!isEnumType(codes) || !codes.getValue(INVALID_INPUT))
    violations.push(`${item.name}.code must be an enum with ${INVALID_INPUT}`);
  if (!emptyPayload(payload))
    violations.push(`${payload.name} has a result field that cannot be empty when refused (make it nullable)`);
  return violations;
}

const SHAPED = `
  interface UserError { field: [String!] message: String! }
  enum ThingErrorCode { INVALID_INPUT }
  type ThingUserError implements UserError { code: ThingErrorCode! field: [String!] message: String! }
  type ThingPayload { thing: String userErrors: [ThingUserError!]! }
  input ThingInput { name: String! }
  type Query { ok: Boolean }
`;

describe('the shape of mutations (schema.gql)', () => {
  it('every live mutation takes one input and returns a payload with userErrors; every …UserError implements UserError', () => {
    const schema = buildSchema(readFileSync(new URL('../../schema.gql', import.meta.url), 'utf8'));
    expect(mutationShapeViolations(schema)).toEqual([]);
  });

  it('accepts a mutation of that shape, and a deprecated one of any shape', () => {
    const schema = buildSchema(`${SHAPED}
      type Mutation {
        makeThing(input: ThingInput!): ThingPayload!
        oldThing(name: String!): Boolean @deprecated(reason: "Use makeThing.")
      }`);
    expect(mutationShapeViolations(schema)).toEqual([]);
  });

  it('names every way a new mutation can break the shape', () => {
    const schema = buildSchema(`${SHAPED}
      type LooseUserError { code: ThingErrorCode! message: String! }
      enum BareErrorCode { NOT_FOUND }
      type BareUserError implements UserError { code: BareErrorCode! field: [String!] message: String! }
      type BarePayload { thing: String! userErrors: [BareUserError!]! }
      type Mutation {
        twoArguments(input: ThingInput!, force: Boolean): ThingPayload!
        wrongName(thing: ThingInput!): ThingPayload!
        nullableInput(input: ThingInput): ThingPayload!
        returnsBoolean(input: ThingInput!): Boolean!
        nullablePayload(input: ThingInput!): ThingPayload
        bare(input: ThingInput!): BarePayload!
      }`);
    expect(mutationShapeViolations(schema)).toEqual([
      'LooseUserError does not implement UserError',
      'Mutation.twoArguments must take exactly one argument, named input',
      'Mutation.wrongName must take exactly one argument, named input',
      'Mutation.nullableInput(input:) must be a non-null input type',
      'Mutation.returnsBoolean must return a non-null object type',
      'Mutation.nullablePayload must return a non-null object type',
      'BareUserError.code must be an enum with INVALID_INPUT',
      'BarePayload has a result field that cannot be empty when refused (make it nullable)',
    ]);
  });
});
