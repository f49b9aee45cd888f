import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import {
  getNamedType,
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { ClientError, ErrorCode } from './error-code.js';
import type { ErrorDescription } from './user-errors.js';

/** The code of every domain's refusal of input that failed validation; each `…ErrorCode` enum has it. */
export const INVALID_INPUT = 'INVALID_INPUT';

/** How each domain's `…ErrorCode` table describes INVALID_INPUT. */
export const INVALID_INPUT_DESCRIPTION: ErrorDescription = {
  field: null,
  message: 'An input field is not valid: its message says why (a text too long or empty, a number out of range…).',
};

export interface InvalidField {
  /** The path inside the argument, dotted: `transfers.0.amount`. */
  field: string;
  message: string;
  /** A code more precise than INVALID_INPUT, such as PASSWORD_TOO_WEAK; used where the domain's enum has it. */
  code?: string;
}

/**
 * Input refused for its form: by class-validator, or by a check of the same kind made in a service
 * (a password too easy to guess). A mutation whose payload has `userErrors` answers it as userErrors
 * (invalidInputAsUserErrors); queries and deprecated mutations answer it, as before, with a top-level
 * BAD_USER_INPUT listing `invalidFields`.
 */
export class InvalidInput extends ClientError {
  constructor(
    readonly fields: InvalidField[],
    /** The argument the fields are inside (`input`); unset for arguments declared one by one. */
    readonly argument?: string,
  ) {
    super(ErrorCode.BAD_USER_INPUT, fields.map(({ message }) => message).join('; '), {
      invalidFields: fields.map(({ field, message, code }) => ({ field, message, ...(code && { code }) })),
    });
  }

  /** The path of one field from the argument down, as a userError's `field`: ['input', 'transfers', '0', 'amount']. */
  pathOf(invalid: InvalidField): string[] {
    return [...(this.argument ? [this.argument] : []), ...invalid.field.split('.')];
  }
}

function flatten(errors: ValidationError[], parent = ''): InvalidField[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** class-validator's checks of every argument; their failures become one InvalidInput naming the argument. */
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new InvalidInput(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof InvalidInput && metadata.data) throw new InvalidInput(error.fields, metadata.data);
      throw error;
    }
  }
}

/**
 * What a result field holds when the mutation was refused, and so changed nothing: null, an empty
 * list, false, or a count of 0. Undefined when the field can hold none of them (a non-null String):
 * such a payload cannot say "refused".
 */
function emptyValue(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  if (isListType(type.ofType)) return [];
  if (type.ofType === GraphQLBoolean) return false;
  if (type.ofType === GraphQLInt) return 0;
  return undefined;
}

/**
 * The payload a mutation answers when refused, without its userErrors: every result field empty.
 * Undefined when some field cannot be empty (the schema rule test requires every live payload can).
 */
export function emptyPayload(payload: GraphQLObjectType): Record<string, unknown> | undefined {
  const empty: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(payload.getFields())) {
    if (name === 'userErrors') continue;
    const value = emptyValue(field.type);
    if (value === undefined) return undefined;
    empty[name] = value;
  }
  return empty;
}

/** The payload type of a live (not deprecated) mutation that answers refusals as userErrors. */
function refusingPayload(mutation: GraphQLField<unknown, unknown>): GraphQLObjectType | undefined {
  if (mutation.deprecationReason) return undefined;
  const payload = getNamedType(mutation.type);
  return isObjectType(payload) && payload.getFields().userErrors ? payload : undefined;
}

/** The enum of the payload's userError codes, such as TransferErrorCode. */
function codesOf(payload: GraphQLObjectType): GraphQLEnumType | undefined {
  const userError = getNamedType(payload.getFields().userErrors.type);
  const code = isObjectType(userError) ? userError.getFields().code : undefined;
  const codes = code && getNamedType(code.type);
  return isEnumType(codes) ? codes : undefined;
}

/** How one mutation answers InvalidInput as its payload's userErrors; undefined when its payload cannot say "refused". */
function userErrorsAnswer(
  payload: GraphQLObjectType,
): ((invalid: InvalidInput) => Record<string, unknown>) | undefined {
  const empty = emptyPayload(payload);
  const codes = codesOf(payload);
  if (!empty || !codes) return undefined;
  return (invalid) => ({
    ...empty,
    userErrors: invalid.fields.map((field) => ({
      code: field.code && codes.getValue(field.code) ? field.code : INVALID_INPUT,
      field: invalid.pathOf(field),
      message: field.message,
    })),
  });
}

/**
 * Answers input refused for its form as the payload's userErrors (code INVALID_INPUT, or the more
 * precise one the domain's enum has), one per field at fault, on every live mutation whose payload
 * has `userErrors`: one place for all of them, rather than a catch in each resolver. The refusal is
 * thrown before the service writes anything, or inside its transaction, which rolls back.
 *
 * A transformation of the schema, made once: it wraps those mutations' resolvers, which Nest's
 * resolvers are (so inside them its pipes validate, and its filters hand a GraphQL error back as
 * the value). A Nest interceptor did this before, at a cost on every resolver of every request.
 */
export function invalidInputAsUserErrors(schema: GraphQLSchema): GraphQLSchema {
  for (const mutation of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const payload = refusingPayload(mutation);
    const answer = payload && userErrorsAnswer(payload);
    const resolve = mutation.resolve;
    if (!answer || !resolve) continue;
    mutation.resolve = async (source, args, context, info) => {
      let result: unknown;
      try {
        result = await resolve(source, args, context, info);
      } catch (error) {
        if (error instanceof InvalidInput) return answer(error);
        throw error;
      }
      return result instanceof InvalidInput ? answer(result) : result;
    };
  }
  return schema;
}
