import { registerEnumType } from '@nestjs/graphql';

export interface ErrorDescription {
  /** The input field a refusal is about, if any. */
  field: string | null;
  message: string;
  /** Set on a code no longer returned, kept in the enum until its announced removal. */
  deprecationReason?: string;
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
