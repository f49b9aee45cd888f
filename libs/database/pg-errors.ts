import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes the service reacts to. */
export const PgErrorCode = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  /** Class 53, "insufficient resources": out of memory, shared memory, disk or connections. */
  insufficientResourcesClass: '53',
  adminShutdown: '57P01',
  cannotConnectNow: '57P03',
  /** Raised by the ledger's append-only triggers. */
  historyIsAppendOnly: 'PL001',
  /** Raised when a transfer's postings do not net to zero. */
  unbalancedTransfer: 'PL002',
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  const source: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = (source as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Failures that a retry of the whole (idempotent) request can cure. */
export function isRetryable(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PgErrorCode.serializationFailure || code === PgErrorCode.deadlockDetected;
}

/** The database is down, restarting or out of resources: the client should try again later. */
export function isUnavailable(error: unknown): boolean {
  const code = pgErrorCode(error);
  return (
    code?.startsWith(PgErrorCode.insufficientResourcesClass) ||
    code === PgErrorCode.adminShutdown ||
    code === PgErrorCode.cannotConnectNow ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT'
  );
}
