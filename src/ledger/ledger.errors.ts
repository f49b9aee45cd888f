import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, UserError, userErrorCodes } from '../../libs/graphql/user-errors.js';

export interface TransferUserError extends UserError<TransferErrorCode> {
  originalCode: TransferErrorCode | null;
}

/**
 * Why a transfer was not made. Stable: partners switch on these. The database function
 * `ledger_create_transfer` returns the same names in lower case.
 */
export enum TransferErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  AMOUNT_MUST_BE_POSITIVE = 'AMOUNT_MUST_BE_POSITIVE',
  SAME_ACCOUNT = 'SAME_ACCOUNT',
  DEBIT_ACCOUNT_NOT_FOUND = 'DEBIT_ACCOUNT_NOT_FOUND',
  CREDIT_ACCOUNT_NOT_FOUND = 'CREDIT_ACCOUNT_NOT_FOUND',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  DEBIT_ACCOUNT_FROZEN = 'DEBIT_ACCOUNT_FROZEN',
  CREDIT_ACCOUNT_FROZEN = 'CREDIT_ACCOUNT_FROZEN',
  DEBIT_ACCOUNT_CLOSED = 'DEBIT_ACCOUNT_CLOSED',
  CREDIT_ACCOUNT_CLOSED = 'CREDIT_ACCOUNT_CLOSED',
  EXCEEDS_LOWER_LIMIT = 'EXCEEDS_LOWER_LIMIT',
  EXCEEDS_UPPER_LIMIT = 'EXCEEDS_UPPER_LIMIT',
  BALANCE_OUT_OF_RANGE = 'BALANCE_OUT_OF_RANGE',
  RESERVED_CODE = 'RESERVED_CODE',
  IDEMPOTENCY_KEY_CONFLICT = 'IDEMPOTENCY_KEY_CONFLICT',
  IDEMPOTENCY_KEY_ALREADY_FAILED = 'IDEMPOTENCY_KEY_ALREADY_FAILED',
  TIMEOUT_REQUIRES_PENDING = 'TIMEOUT_REQUIRES_PENDING',
  PENDING_TRANSFER_NOT_FOUND = 'PENDING_TRANSFER_NOT_FOUND',
  PENDING_TRANSFER_ALREADY_POSTED = 'PENDING_TRANSFER_ALREADY_POSTED',
  PENDING_TRANSFER_ALREADY_VOIDED = 'PENDING_TRANSFER_ALREADY_VOIDED',
  PENDING_TRANSFER_EXPIRED = 'PENDING_TRANSFER_EXPIRED',
  EXCEEDS_PENDING_AMOUNT = 'EXCEEDS_PENDING_AMOUNT',
  LINKED_EVENT_FAILED = 'LINKED_EVENT_FAILED',
  TRANSFER_NOT_FOUND = 'TRANSFER_NOT_FOUND',
  TRANSFER_NOT_REVERSIBLE = 'TRANSFER_NOT_REVERSIBLE',
  TRANSFER_ALREADY_REVERSED = 'TRANSFER_ALREADY_REVERSED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  REVERSAL_NOT_PERMITTED = 'REVERSAL_NOT_PERMITTED',
}

const DESCRIPTIONS: Record<TransferErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  AMOUNT_MUST_BE_POSITIVE: { field: 'amount', message: 'The amount must be greater than zero.' },
  SAME_ACCOUNT: { field: 'creditAccountId', message: 'The debit and credit accounts must differ.' },
  DEBIT_ACCOUNT_NOT_FOUND: { field: 'debitAccountId', message: 'The debit account does not exist.' },
  CREDIT_ACCOUNT_NOT_FOUND: { field: 'creditAccountId', message: 'The credit account does not exist.' },
  CURRENCY_MISMATCH: { field: 'creditAccountId', message: 'The two accounts hold different currencies.' },
  DEBIT_ACCOUNT_FROZEN: { field: 'debitAccountId', message: 'The debit account is frozen.' },
  CREDIT_ACCOUNT_FROZEN: { field: 'creditAccountId', message: 'The credit account is frozen.' },
  DEBIT_ACCOUNT_CLOSED: { field: 'debitAccountId', message: 'The debit account is closed.' },
  CREDIT_ACCOUNT_CLOSED: { field: 'creditAccountId', message: 'The credit account is closed.' },
  EXCEEDS_LOWER_LIMIT: {
    field: 'amount',
    message: "The transfer would take the debit account's available balance below its lower limit.",
  },
  EXCEEDS_UPPER_LIMIT: {
    field: 'amount',
    message: "The transfer would take the credit account's balance above its upper limit.",
  },
  BALANCE_OUT_OF_RANGE: {
    field: 'amount',
    message:
      "The transfer would take an account's totals or balance beyond ±9007199254740991 (2^53-1), the range every amount stays within.",
  },
  RESERVED_CODE: {
    field: 'code',
    message:
      'This code is reserved for transfers the system makes itself (exchange holds, grants, reversals…); choose another.',
  },
  IDEMPOTENCY_KEY_CONFLICT: {
    field: 'idempotencyKey',
    message: 'This idempotency key was already used for a different request.',
  },
  IDEMPOTENCY_KEY_ALREADY_FAILED: {
    field: 'idempotencyKey',
    message: 'This idempotency key already failed (originalCode says why); use a new key to try again.',
  },
  TIMEOUT_REQUIRES_PENDING: { field: 'timeoutSeconds', message: 'Only a pending transfer can have a timeout.' },
  PENDING_TRANSFER_NOT_FOUND: { field: 'pendingTransferId', message: 'No pending transfer has this id.' },
  PENDING_TRANSFER_ALREADY_POSTED: { field: 'pendingTransferId', message: 'The pending transfer was already posted.' },
  PENDING_TRANSFER_ALREADY_VOIDED: { field: 'pendingTransferId', message: 'The pending transfer was already voided.' },
  PENDING_TRANSFER_EXPIRED: {
    field: 'pendingTransferId',
    message: 'The pending transfer expired; its funds were released.',
  },
  EXCEEDS_PENDING_AMOUNT: {
    field: 'amount',
    message: 'A pending transfer cannot be posted for more than it reserved.',
  },
  LINKED_EVENT_FAILED: { field: null, message: 'Not applied, because another transfer of the linked batch failed.' },
  TRANSFER_NOT_FOUND: { field: 'transferId', message: 'No transfer has this id.' },
  TRANSFER_NOT_REVERSIBLE: {
    field: 'transferId',
    message: 'Only posted money can be reversed: not a pending transfer or a void.',
  },
  TRANSFER_ALREADY_REVERSED: { field: 'transferId', message: 'The transfer was already reversed.' },
  REASON_REQUIRED: { field: 'reason', message: 'A forced reversal needs a written reason.' },
  REVERSAL_NOT_PERMITTED: { field: 'transferId', message: 'You may not reverse this transfer.' },
};

const transferErrors = userErrorCodes(
  TransferErrorCode,
  'TransferErrorCode',
  'Why a transfer was refused. A refusal changes no balance.',
  DESCRIPTIONS,
);
export const describeTransferError = transferErrors.describe;

/** `originalCode`: for IDEMPOTENCY_KEY_ALREADY_FAILED, the refusal the key first got. */
export function transferUserError(
  code: TransferErrorCode,
  field?: string | null,
  originalCode: TransferErrorCode | null = null,
): TransferUserError {
  return { ...transferErrors.userError(code, field), originalCode };
}

export function toTransferErrorCode(outcome: string): TransferErrorCode {
  const code = outcome.toUpperCase();
  if (!(code in TransferErrorCode)) throw new Error(`ledger_create_transfer returned an unknown outcome: ${outcome}`);
  return code as TransferErrorCode;
}

/** Why a change to an account (limits, status) was refused. Stable: partners switch on these. */
export enum AccountErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  ACCOUNT_CLOSED = 'ACCOUNT_CLOSED',
  ACCOUNT_NOT_SETTLED = 'ACCOUNT_NOT_SETTLED',
  NOT_A_MEMBER_ACCOUNT = 'NOT_A_MEMBER_ACCOUNT',
  LIMITS_OUT_OF_ORDER = 'LIMITS_OUT_OF_ORDER',
  LIMITS_EXCLUDE_BALANCE = 'LIMITS_EXCLUDE_BALANCE',
  REASON_REQUIRED = 'REASON_REQUIRED',
}

const ACCOUNT_ERRORS: Record<AccountErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  ACCOUNT_NOT_FOUND: { field: 'accountId', message: 'No account has this id.' },
  ACCOUNT_CLOSED: { field: 'accountId', message: 'The account is closed; it cannot change any more.' },
  ACCOUNT_NOT_SETTLED: { field: 'accountId', message: 'The account still holds or reserves money; settle it first.' },
  NOT_A_MEMBER_ACCOUNT: { field: 'accountId', message: "Only a member account's limits can be set here." },
  LIMITS_OUT_OF_ORDER: { field: 'lowerLimit', message: 'The lower limit must not exceed the upper limit.' },
  LIMITS_EXCLUDE_BALANCE: {
    field: 'lowerLimit',
    message: "The account's balance (with what it has reserved) would fall outside these limits.",
  },
  REASON_REQUIRED: { field: 'reason', message: 'This action needs a written reason.' },
};

export const accountUserError = userErrorCodes(
  AccountErrorCode,
  'AccountErrorCode',
  'Why a change to an account was refused. A refusal changes nothing.',
  ACCOUNT_ERRORS,
).userError;

/** Why closing a period was refused. Stable: partners switch on these. */
export enum PeriodErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  PERIOD_END_IN_FUTURE = 'PERIOD_END_IN_FUTURE',
  PERIOD_ALREADY_CLOSED = 'PERIOD_ALREADY_CLOSED',
}

const PERIOD_ERRORS: Record<PeriodErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  PERIOD_END_IN_FUTURE: {
    field: 'through',
    message: 'A period can only be closed through an instant that has passed.',
  },
  PERIOD_ALREADY_CLOSED: { field: 'through', message: 'A period through this instant or later is already closed.' },
};

export const periodUserError = userErrorCodes(
  PeriodErrorCode,
  'PeriodErrorCode',
  'Why closing a period was refused. A refusal changes nothing.',
  PERIOD_ERRORS,
).userError;
