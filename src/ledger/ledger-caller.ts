import type { Actor } from '../access/actor.js';

/**
 * Who writes to the ledger, as the ledger tells callers apart:
 * - `scope`: the namespace of their idempotency keys. Keys are unique within a scope only, so that
 *   one client's key never collides with, nor reveals, another's, nor takes one the system will use.
 * - `mayUseSystemCodes`: whether the transfer's code was chosen by the system (a grant, an
 *   exchange's hold) rather than by a client, who may not pass a transfer off as the system's own.
 */
export interface LedgerCaller {
  scope: string;
  mayUseSystemCodes: boolean;
}

/** The server's own writes: exchanges, memberships, the expiry sweeper. Also the database functions' default scope. */
export const SYSTEM_CALLER: LedgerCaller = { scope: 'system', mayUseSystemCodes: true };

/** A member's keys are theirs; a partner app acting for a member has its own keys for that member. */
export function idempotencyScopeOf(actor: Actor): string {
  switch (actor.kind) {
    case 'member':
      return actor.viaPartnerAppId
        ? `app:${actor.viaPartnerAppId}/member:${actor.memberId}`
        : `member:${actor.memberId}`;
    case 'partner':
      return `app:${actor.partnerAppId}`;
    case 'anonymous':
      throw new Error('an anonymous caller cannot write to the ledger');
  }
}

/** A client's request: its keys in its own scope, its codes its own. */
export const clientCaller = (actor: Actor): LedgerCaller => ({
  scope: idempotencyScopeOf(actor),
  mayUseSystemCodes: false,
});

/** The codes the system writes itself, in one place. A client may not use them. */
export const SYSTEM_CODES = {
  /** An exchange's hold: only the exchange's own steps resolve it (src/exchanges). */
  EXCHANGE_HOLD: 'exchange_hold',
  /** What an exchange pays above its hold. */
  EXCHANGE_EXTRA: 'exchange_extra',
  /** A manager's grant from issuance or the pool. */
  GRANT: 'grant',
  /** The grant a new membership receives. */
  STARTER_GRANT: 'starter_grant',
  /** A closing membership's balance, settled with the pool. */
  SETTLEMENT: 'settlement',
  /** Written by ledger_reverse_transfer. */
  REVERSAL: 'reversal',
  /** Written by ledger_expire_pending. */
  EXPIRED: 'expired',
  /** The codes of a hold's resolutions. */
  POST: 'post',
  VOID: 'void',
} as const;

const RESERVED = new Set<string>(Object.values(SYSTEM_CODES));

export const isSystemCode = (code: string): boolean => RESERVED.has(code);
