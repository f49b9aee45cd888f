import { ExchangeErrorCode } from './exchanges.errors.js';
import { Exchange } from './models/exchange.models.js';
import { ExchangeStatus } from './models/exchange-enums.js';

const { PROPOSED, ACCEPTED, DELIVERED, CONFIRMED, CANCELLED, DISPUTED, RESOLVED, EXPIRED } = ExchangeStatus;

/**
 * Who may make a move. A party, by its side of the exchange, or as the counterparty: the party who
 * did not propose it, and so accepts it. A manager of its community (its coordinator, or a server
 * admin). The group settlement, which the group's provider starts for all its places at once. The
 * system: the sweeper, which lapses holds and confirms by itself.
 */
export type ExchangeMover =
  'provider' | 'receiver' | 'counterparty' | 'coordinator' | 'admin' | 'group settlement' | 'system';

/** A single exchange, or a place of a group exchange. */
export type ExchangeKind = 'single' | 'group';

export interface ExchangeTransition {
  /** Null: the status every exchange starts in. */
  from: ExchangeStatus | null;
  to: ExchangeStatus;
  by: readonly ExchangeMover[];
  /** The move is for this kind of exchange only; absent, for both. */
  onlyFor?: ExchangeKind;
}

/**
 * Every move an exchange may make, and who may make it: nothing else moves one. The database
 * enforces the same moves (exchange_transitions, seeded by migration 1764360000000, and a trigger
 * on exchanges.status); docs/exchanges.md draws them (`npm run docs:states`).
 */
export const EXCHANGE_TRANSITIONS: readonly ExchangeTransition[] = [
  { from: null, to: PROPOSED, by: ['provider', 'receiver'] },
  { from: PROPOSED, to: ACCEPTED, by: ['counterparty'] },
  { from: PROPOSED, to: CANCELLED, by: ['provider', 'receiver'] },
  // Single only: a group's place has no delivery of its own (the group settlement below confirms it).
  { from: ACCEPTED, to: DELIVERED, by: ['provider'], onlyFor: 'single' },
  // The group settlement skips DELIVERED on purpose: the provider states one actual amount for the
  // whole class after it, and each place pays it up to its hold, which its receiver agreed to on
  // accepting; there is no per-place delivery for a receiver to confirm or dispute.
  { from: ACCEPTED, to: CONFIRMED, by: ['group settlement'], onlyFor: 'group' },
  { from: ACCEPTED, to: CANCELLED, by: ['provider', 'receiver'] },
  // The hold timed out before delivery.
  { from: ACCEPTED, to: EXPIRED, by: ['system'] },
  // The system confirms once the community's delay has passed without the receiver. Single only, as
  // delivery is, so that confirming a group's place is refused as GROUP_SETTLES_TOGETHER.
  { from: DELIVERED, to: CONFIRMED, by: ['receiver', 'system'], onlyFor: 'single' },
  // The system disputes when the ledger refuses that automatic confirmation: a coordinator decides.
  { from: DELIVERED, to: DISPUTED, by: ['provider', 'receiver', 'system'] },
  { from: DISPUTED, to: RESOLVED, by: ['coordinator', 'admin'] },
];

const kindOf = (exchange: Pick<Exchange, 'groupId'>): ExchangeKind => (exchange.groupId === null ? 'single' : 'group');

/**
 * Why these movers may not move the exchange to `to`, null when the table allows it. In the order
 * the API has always answered: a step that is someone else's, whatever the status (WRONG_PARTY);
 * one for the other kind of exchange (GROUP_SETTLES_TOGETHER); one the status does not allow.
 */
export function transitionRefusal(
  exchange: Pick<Exchange, 'status' | 'groupId'>,
  to: ExchangeStatus,
  by: readonly ExchangeMover[],
): ExchangeErrorCode | null {
  const theirs = EXCHANGE_TRANSITIONS.filter((move) => move.to === to && move.by.some((mover) => by.includes(mover)));
  if (theirs.length === 0) return ExchangeErrorCode.WRONG_PARTY;
  const forThisKind = theirs.filter((move) => move.onlyFor === undefined || move.onlyFor === kindOf(exchange));
  if (forThisKind.length === 0) return ExchangeErrorCode.GROUP_SETTLES_TOGETHER;
  return forThisKind.some((move) => move.from === exchange.status) ? null : ExchangeErrorCode.WRONG_STATUS;
}

/** Every change of status goes through here: a move the table does not allow is a bug, never a refusal. */
export function assertTransition(
  exchange: Pick<Exchange, 'id' | 'status' | 'groupId'>,
  to: ExchangeStatus,
  by: readonly ExchangeMover[],
): void {
  const refusal = transitionRefusal(exchange, to, by);
  if (!refusal) return;
  const movers = by.join(', ');
  throw new Error(`exchange ${exchange.id}: ${movers} may not move it from ${exchange.status} to ${to} (${refusal})`);
}
