import { ValidateBy, ValidationOptions } from 'class-validator';

/** PostgreSQL's bigint ceiling: larger ids cannot name a row, and would make the query itself fail. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** True for the decimal text of a positive bigint, which is what every id of ours is. */
export function isDatabaseId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

export function IsDatabaseId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDatabaseId',
      validator: { validate: isDatabaseId, defaultMessage: () => '$property must be a positive integer id' },
    },
    options,
  );
}
