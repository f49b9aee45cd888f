import { toGlobalId } from '../../libs/graphql/global-id.js';

/**
 * Every type of event the feed serves, with who may see it besides the community's auditors
 * (docs/api.md, "Events"). Written by: the transfers trigger (events_announce_transfer), the
 * exchanges service, the members service (memberships), the listings service, the integrity checkpoints
 * and verification runs.
 */
export const EVENT_TYPES = {
  'transfer.pending': 'A hold was placed: a pending transfer. The holders of both accounts.',
  'transfer.posted':
    'Money moved: a direct transfer, or a hold posted (in full or in part). The holders of both accounts.',
  'transfer.voided': 'A hold was released: voided, or expired (`code` is `expired`). The holders of both accounts.',
  'transfer.reversed': 'A reversing transfer corrected an earlier one. The holders of both accounts.',
  'exchange.proposed': 'An exchange was proposed. Its two parties.',
  'exchange.accepted': 'An exchange was accepted and its hold placed. Its two parties.',
  'exchange.delivered': 'The provider marked the work delivered. Its two parties.',
  'exchange.confirmed': 'The receiver confirmed (or the delay passed) and the payment posted. Its two parties.',
  'exchange.cancelled': 'An exchange was cancelled and its hold voided. Its two parties.',
  'exchange.disputed': 'A party disputed an exchange. Its two parties.',
  'exchange.resolved': 'A coordinator settled a dispute. Its two parties.',
  'exchange.expired': 'An exchange lapsed unaccepted. Its two parties.',
  'review.created': 'A party reviewed the other after settlement. Its author and its subject.',
  'membership.opened': 'A membership was opened, pending approval (a request to join, or an appointment). Its member.',
  'membership.activated': 'A membership became active: approved, or reinstated after a suspension. Its member.',
  'membership.suspended': 'A coordinator suspended a membership. Its member.',
  'membership.closed': 'A membership and its account were closed. Its member.',
  'membership.role_changed': 'A member was made a coordinator of the community. Its member.',
  'listing.created': 'A member posted an offer or a request. Every active member of the community.',
  'listing.updated': 'Its author changed, paused or resumed a listing. Every active member of the community.',
  'listing.closed': 'A listing was closed, by its author or a coordinator. Every active member of the community.',
  'ledger.checkpoint': "A checkpoint of a currency's hash chain was recorded. Every active member of the community.",
  'verification.failed':
    "A verification run found the community's ledger broken (an open alert). The community's auditors only.",
  'webhook.endpoint_disabled':
    "A partner app's webhook endpoint was disabled after failing for too long. The community's auditors.",
} as const;

export type EventType = keyof typeof EVENT_TYPES;

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

/** The version of every payload the feed serves; a change that is not an addition bumps it. */
export const PAYLOAD_VERSION = 1;

/**
 * Payload fields that hold a database id, and the type whose global id the feed shows for them:
 * outbox rows keep bare database ids, as every JSON the database holds does (cheap to write in the
 * ledger's trigger, and stable); the envelope shows them as the API shows ids everywhere else.
 */
const ID_FIELDS: Record<string, string> = {
  transferId: 'Transfer',
  pendingId: 'Transfer',
  reversesId: 'Transfer',
  debitAccountId: 'Account',
  creditAccountId: 'Account',
  currencyId: 'Currency',
  exchangeId: 'Exchange',
  groupId: 'ExchangeGroup',
  listingId: 'Listing',
  providerId: 'Member',
  receiverId: 'Member',
  authorId: 'Member',
  subjectId: 'Member',
  memberId: 'Member',
  membershipId: 'Membership',
  accountId: 'Account',
  communityId: 'Community',
  partnerAppId: 'PartnerApp',
};

/** The type of the row an event's `aggregateId` (and a payload's own `id`) names. */
const AGGREGATE_TYPES: Record<string, string> = {
  transfer: 'Transfer',
  exchange: 'Exchange',
  review: 'Review',
  membership: 'Membership',
  listing: 'Listing',
  ledger_checkpoint: 'LedgerCheckpoint',
  verification_run: 'VerificationRun',
  webhook_endpoint: 'WebhookEndpoint',
};

export function aggregateTypeName(aggregateType: string): string | undefined {
  return AGGREGATE_TYPES[aggregateType];
}

/** A stored payload as the feed shows it: version 1, ids as global ids, everything else as stored. */
export function payloadV1(aggregateType: string, stored: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stored)) {
    const typeName = field === 'id' ? AGGREGATE_TYPES[aggregateType] : ID_FIELDS[field];
    const isId = typeof value === 'string' || typeof value === 'number';
    shown[field] = typeName && isId ? toGlobalId(typeName, value) : value;
  }
  return { version: PAYLOAD_VERSION, ...shown };
}
