import { randomUUID } from 'node:crypto';
import { RowsForKeys, rowsForKeys } from '../support/ledger-rows.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../support/test-app.js';

/** What the e2e tests ask for and get back: GraphQL documents and the shapes they return. */

export const POSTING_FIELDS =
  'id transferId accountId counterpartyAccountId amount balanceAfter accountVersion code memo createdAt';
export const TRANSFER_FIELDS = `id idempotencyKey debitAccountId creditAccountId amount code memo metadata createdAt postings { ${POSTING_FIELDS} }`;
export const ACCOUNT_FIELDS =
  'id kind name status balance availableBalance postedDebits postedCredits pendingDebits pendingCredits lowerLimit upperLimit version currency { id code }';
export const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
/** How a payload tells of an expected refusal; `UserErrorView` is what it returns. */
export const USER_ERRORS = 'userErrors { code field message }';

/** A mutation taking one `input` of this type and selecting this of its payload, with its userErrors. */
export const payloadMutation = (name: string, inputType: string, selection: string): string =>
  `mutation ${name[0].toUpperCase()}${name.slice(1)}($input: ${inputType}!) { ${name}(input: $input) { ${selection} ${USER_ERRORS} } }`;

export const CREATE_TRANSFER = `mutation CreateTransfer($input: CreateTransferInput!) {
  createTransfer(input: $input) { transfer { ${TRANSFER_FIELDS} } replayed ${USER_ERRORS} }
}`;

export interface UserErrorView {
  code: string;
  field: string[] | null;
  message: string;
}

export interface PostingView {
  id: string;
  transferId: string;
  accountId: string;
  counterpartyAccountId: string;
  amount: string;
  balanceAfter: string;
  accountVersion: string;
  code: string;
  memo: string;
  createdAt: string;
}

export interface TransferView {
  id: string;
  idempotencyKey: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  code: string;
  memo: string;
  metadata: Record<string, unknown>;
  createdAt: string;
  postings: PostingView[];
}

export interface TransferPayloadView {
  transfer: TransferView | null;
  replayed: boolean;
  userErrors: UserErrorView[];
}

export interface AccountView {
  id: string;
  kind: string;
  name: string;
  status: string;
  balance: string;
  availableBalance: string;
  postedDebits: string;
  postedCredits: string;
  pendingDebits: string;
  pendingCredits: string;
  lowerLimit: string | null;
  upperLimit: string | null;
  version: string;
  currency: { id: string; code: string };
}

export interface PageView<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The fields a client sends to createTransfer; tests of bad input put anything in them. */
export type TransferInput = Record<string, unknown> & { idempotencyKey: string };

export const newKey = (prefix = 'e2e'): string => `${prefix}-${randomUUID()}`;

export function transferInput(
  debitAccountId: string,
  creditAccountId: string,
  amount: string | number,
  extra: Record<string, unknown> = {},
): TransferInput {
  return { idempotencyKey: newKey(), debitAccountId, creditAccountId, amount, ...extra };
}

/** Runs a query that must succeed: HTTP 200 and no errors. */
export async function gql<T>(t: GraphqlClient, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await t.graphql<T>(query, variables);
  expect({ status: response.status, errors: response.errors }).toEqual({ status: 200, errors: undefined });
  return response.data!;
}

export async function createTransfer(t: GraphqlClient, input: TransferInput): Promise<TransferPayloadView> {
  return (await gql<{ createTransfer: TransferPayloadView }>(t, CREATE_TRANSFER, { input })).createTransfer;
}

export async function fetchAccount(t: GraphqlClient, id: string): Promise<AccountView> {
  const { account } = await gql<{ account: AccountView }>(
    t,
    `query Account($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`,
    { id },
  );
  return account;
}

export async function fetchTransfer(t: GraphqlClient, id: string): Promise<TransferView> {
  const { transfer } = await gql<{ transfer: TransferView }>(
    t,
    `query Transfer($id: ID!) { transfer(id: $id) { ${TRANSFER_FIELDS} } }`,
    { id },
  );
  return transfer;
}

/** How many transfers and recorded failures carry this idempotency key. */
export function rowsForKey(t: TestApp, key: string): Promise<RowsForKeys> {
  return rowsForKeys(t.dataSource, [key]);
}

export interface RawResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  body: any;
}

/**
 * POSTs a body exactly as given, keeping the response text so that tests can look for leaked internals.
 * A null content type sends no content-type header at all.
 */
export async function postRaw(
  t: GraphqlClient,
  body: string | Blob,
  contentType: string | null = 'application/json',
): Promise<RawResponse> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { ...t.headers, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: parsed };
}

/**
 * Input refused for its form by a live mutation with userErrors: no top-level error, every result
 * field empty (null, [], false or 0), and one INVALID_INPUT userError per field at fault, in order,
 * each a path from the argument (`['input', 'amount']`).
 */
export function expectInvalidInput(response: GraphqlResponse, fields: string[][]): void {
  expect(response.errors).toBeUndefined();
  const [payload, ...others] = Object.values(response.data ?? {}) as Record<string, unknown>[];
  expect(others).toEqual([]);
  const { userErrors, ...result } = payload;
  expect(userErrors).toEqual(
    fields.map((field) => ({ code: 'INVALID_INPUT', field, message: expect.stringMatching(/./) })),
  );
  for (const value of Object.values(result)) expect([null, false, 0, []]).toContainEqual(value);
}
