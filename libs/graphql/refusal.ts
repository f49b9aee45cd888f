import type { TransactionalConnection } from '../database/transactional-connection.js';

/**
 * A business rule's refusal found after the action began writing (a hold the ledger would not
 * place once the goods were reserved): thrown, so that its transaction rolls back everything,
 * and answered by `refusable` as the payload's userErrors. The reason is usually a domain's
 * error code. A refusal found before anything is written is simply returned (`refusedPayload`).
 * Not for authorization: that is the top-level FORBIDDEN (access.policy.ts, `forbidden()`).
 */
export class Refusal<R> extends Error {
  constructor(readonly reason: R) {
    // A code names itself; any other reason is for the catching code, not for a log.
    super(typeof reason === 'string' ? `refused: ${reason}` : 'refused');
  }
}

/**
 * Runs `work` in one transaction. A Refusal thrown inside rolls it all back and becomes
 * `refused(reason)`, so a refusal changes nothing; any other error propagates as it is.
 * Call it outside any transaction: nested, it would join the caller's, which it cannot roll back.
 */
export async function refusable<R, P>(
  db: TransactionalConnection,
  refused: (reason: R) => P,
  work: () => Promise<P>,
): Promise<P> {
  db.requireNoTransaction('refusable');
  try {
    return await db.transaction(work);
  } catch (error) {
    // Every Refusal thrown inside `work` carries this caller's kind of reason.
    if (error instanceof Refusal) return refused(error.reason as R);
    throw error;
  }
}

/**
 * How a payload answers a refusal: `empty`, its result fields as nothing (`{ exchange: null }`),
 * with the one userError `userError(code)` builds.
 */
export function refusedPayload<C, E extends object, U>(
  userError: (code: C) => U,
  empty: E,
): (code: C) => E & { userErrors: U[] } {
  return (code) => ({ ...empty, userErrors: [userError(code)] });
}
