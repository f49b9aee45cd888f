// Compile-time proof that every custom scalar reaches a client typed: each entry fails to compile
// if its type were `unknown` or `any` (neither equals `string`), or anything else than
// docs/scalars.md says. Compiled by `npm run codegen:check` and `npm run typecheck`.
import type {
  AccountStatementQuery,
  AccountStatementQueryVariables,
  CreateTransferInput,
  CreateTransferMutation,
} from './generated/graphql.js';

/** True only when A and B are the same type; `any` equals nothing but `any`. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Transfer = NonNullable<CreateTransferMutation['createTransfer']['transfer']>;
type Posting = Transfer['postings'][number];
type Statement = AccountStatementQuery['accountStatement'];

export type ScalarTypes = [
  Expect<Equals<Transfer['amount'], string>>,
  Expect<Equals<Posting['accountVersion'], string>>,
  Expect<Equals<Transfer['createdAt'], string>>,
  Expect<Equals<Statement['from'], string | null>>,
  Expect<Equals<Transfer['metadata'], Record<string, unknown>>>,
  Expect<Equals<CreateTransferInput['amount'], string | number>>,
  Expect<Equals<AccountStatementQueryVariables['from'], string | null | undefined>>,
  Expect<Equals<CreateTransferInput['metadata'], Record<string, unknown> | null | undefined>>,
];
