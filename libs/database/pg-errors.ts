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
  /** Class 08, "connection exception": the connection failed or was refused. */
  connectionExceptionClass: '08',
  /** A statement cancelled, by statement_timeout (or an operator): its transaction rolled back. */
  queryCanceled: '57014',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
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

/**
 * Refused for want of capacity rather than because of the request (a full queue, say): the caller
 * gets SERVICE_UNAVAILABLE like a database that does not answer.
 */
export class Unavailable extends Error {}

/** SQLSTATEs of a database that is down, restarting, out of resources or too slow for the request's limit. */
const UNAVAILABLE_CODES = new Set<string>([
  PgErrorCode.queryCanceled,
  PgErrorCode.adminShutdown,
  PgErrorCode.crashShutdown,
  PgErrorCode.cannotConnectNow,
]);
const UNAVAILABLE_CLASSES = [PgErrorCode.connectionExceptionClass, PgErrorCode.insufficientResourcesClass];
/** The socket's own failures, as Node names them. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
/** pg and pg-pool say these in words only, with no code. */
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Query read timeout)/;

/**
 * The database is unreachable, restarting, out of resources, or did not answer in time (a pool
 * acquire timeout, a statement timeout): the outcome of a write is unknown to the client, which
 * should retry later with the same idempotency key. The one test of it; formatError, the HTTP layer
 * and group commits all ask here.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof Unavailable) return true;
  const code = pgErrorCode(error);
  if (code !== undefined) {
    if (UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix))) return true;
  }
  const source: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const message = (source as { message?: unknown } | null)?.message;
  return typeof message === 'string' && CONNECTION_LOST.test(message);
}
