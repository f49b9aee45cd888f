import { Field, InterfaceType, ObjectType, registerEnumType } from '@nestjs/graphql';

export interface ErrorDescription {
  /** The input field a refusal is about, if any. */
  field: string | null;
  message: string;
  /** Set on a code no longer returned, kept in the enum until its announced removal. */
  deprecationReason?: string;
}

/**
 * The shape every refusal shares, whatever its domain: each `…UserError` type implements it and adds
 * its own `code`, an enum of the domain's stable codes. The interface cannot declare `code`: GraphQL
 * has no subtyping between those enums and String.
 */
@InterfaceType('UserError', {
  description:
    "A refusal of a well-formed, permitted request by a business rule or by the input's validation: nothing was changed. " +
    'Every `…UserError` type implements it and adds `code: <Domain>ErrorCode!`, a stable enum value to switch on ' +
    '(INVALID_INPUT when the input failed validation). Show `message` to the user; never parse it.',
})
export abstract class UserErrorInterface {
  @Field(() => [String], {
    nullable: true,
    description:
      'The path of the input field at fault, from the argument down: ["input", "amount"], ["input", "transfers", "2", "amount"]. Null when the refusal is about no one field.',
  })
  field: string[] | null;

  @Field({ description: 'For people, in English; may change: switch on `code`, not on this.' })
  message: string;
}

/**
 * A domain's userError type: the interface's fields and a `code` of the domain's enum (registered by
 * `userErrorCodes`). For types added since 0.2.0; the older ones spell the same fields out.
 */
export function userErrorType<C extends string>(codes: Record<string, C>, name: string, description: string) {
  @ObjectType(name, { description, implements: () => [UserErrorInterface] })
  class DomainUserError extends UserErrorInterface {
    @Field(() => codes, { description: 'Stable: switch on it.' })
    code: C;
  }
  return DomainUserError;
}

export interface UserError<C extends string> {
  code: C;
  /** The path of the input field at fault, e.g. ['input', 'amount']. */
  field: string[] | null;
  message: string;
}

/**
 * Registers a GraphQL enum of refusal codes, each described in the schema by its message, and
 * returns how to turn a code into the userError clients receive.
 */
export function userErrorCodes<C extends string>(
  codes: Record<string, C>,
  name: string,
  description: string,
  table: Record<C, ErrorDescription>,
) {
  const valuesMap = Object.fromEntries(
    Object.entries<ErrorDescription>(table).map(([code, { message, deprecationReason }]) => [
      code,
      { description: message, deprecationReason },
    ]),
  );
  registerEnumType(codes, { name, description, valuesMap });
  return {
    describe: (code: C): ErrorDescription => table[code],
    /** `field` overrides the described one, for inputs that name the subject differently. */
    userError: (code: C, field: string | null = table[code].field): UserError<C> => ({
      code,
      field: field ? ['input', field] : null,
      message: table[code].message,
    }),
  };
}

/**
 * The deprecation reason of an operation replaced by one that takes one `input` and answers its
 * refusals as userErrors: clients switch before the announced removal.
 */
export const replacedBy = (replacement: string): string =>
  `Use \`${replacement}\`, which takes one \`input\` and returns its refusals as \`userErrors\`. Removed on or after 2027-06-01.`;
