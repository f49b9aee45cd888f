import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why an exchange action was refused. Stable: partners switch on these. */
export enum ExchangeErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  UNKNOWN_CATEGORY = 'UNKNOWN_CATEGORY',
  PRICE_MUST_NOT_BE_NEGATIVE = 'PRICE_MUST_NOT_BE_NEGATIVE',
  QUANTITY_IS_FOR_GOODS = 'QUANTITY_IS_FOR_GOODS',
  QUANTITY_REQUIRED = 'QUANTITY_REQUIRED',
  LISTING_CLOSED = 'LISTING_CLOSED',
  LISTING_NOT_AVAILABLE = 'LISTING_NOT_AVAILABLE',
  OWN_LISTING = 'OWN_LISTING',
  DIRECT_EXCHANGE_INCOMPLETE = 'DIRECT_EXCHANGE_INCOMPLETE',
  COUNTERPARTY_NOT_MEMBER = 'COUNTERPARTY_NOT_MEMBER',
  ESTIMATE_MUST_BE_POSITIVE = 'ESTIMATE_MUST_BE_POSITIVE',
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  WRONG_STATUS = 'WRONG_STATUS',
  WRONG_PARTY = 'WRONG_PARTY',
  HOLD_REFUSED = 'HOLD_REFUSED',
  HOLD_EXPIRED = 'HOLD_EXPIRED',
  ACTUAL_MUST_NOT_BE_NEGATIVE = 'ACTUAL_MUST_NOT_BE_NEGATIVE',
  AMOUNT_ABOVE_HOLD_NEEDS_APPROVAL = 'AMOUNT_ABOVE_HOLD_NEEDS_APPROVAL',
  EXTRA_PAYMENT_REFUSED = 'EXTRA_PAYMENT_REFUSED',
  SETTLEMENT_REFUSED = 'SETTLEMENT_REFUSED',
  AMOUNT_REQUIRED = 'AMOUNT_REQUIRED',
  AMOUNT_EXCEEDS_HOLD = 'AMOUNT_EXCEEDS_HOLD',
  REASON_REQUIRED = 'REASON_REQUIRED',
  NOT_SETTLED = 'NOT_SETTLED',
  ALREADY_REVIEWED = 'ALREADY_REVIEWED',
  RECEIVER_NOT_MEMBER = 'RECEIVER_NOT_MEMBER',
  GROUP_SETTLES_TOGETHER = 'GROUP_SETTLES_TOGETHER',
  NOTHING_TO_SETTLE = 'NOTHING_TO_SETTLE',
}

// Listing refusals have their own type since 0.2.0; these stay in the enum until their removal (CHANGELOG.md).
const LISTING_MOVED = {
  message: 'A listing refusal: see ListingErrorCode.',
  deprecationReason: 'Never returned: listing refusals are ListingErrorCode. Removed on or after 2027-06-01.',
};

const EXCHANGE_ERRORS: Record<ExchangeErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  UNKNOWN_CATEGORY: { ...LISTING_MOVED, field: 'category' },
  PRICE_MUST_NOT_BE_NEGATIVE: { ...LISTING_MOVED, field: 'price' },
  QUANTITY_IS_FOR_GOODS: { field: 'quantity', message: 'Only goods have a quantity.' },
  QUANTITY_REQUIRED: { field: 'quantity', message: 'Goods need a quantity.' },
  LISTING_CLOSED: { ...LISTING_MOVED, field: 'listingId' },
  LISTING_NOT_AVAILABLE: { field: 'listingId', message: 'The listing is paused, closed or expired.' },
  OWN_LISTING: { field: 'listingId', message: 'You cannot propose an exchange on your own listing.' },
  DIRECT_EXCHANGE_INCOMPLETE: {
    field: 'counterpartyId',
    message: 'Without a listing, name the community, the counterparty and your role.',
  },
  COUNTERPARTY_NOT_MEMBER: {
    field: 'counterpartyId',
    message: 'The other party is not an active member of this community.',
  },
  ESTIMATE_MUST_BE_POSITIVE: { field: 'estimatedAmount', message: 'The estimated amount must be greater than zero.' },
  OUT_OF_STOCK: { field: 'quantity', message: 'The listing does not have that many units left.' },
  WRONG_STATUS: { field: 'exchangeId', message: 'The exchange is not in a state that allows this.' },
  WRONG_PARTY: { field: 'exchangeId', message: 'This step belongs to the other party.' },
  HOLD_REFUSED: {
    field: 'exchangeId',
    message: "The receiver's account cannot reserve the estimated amount (available balance or limits).",
  },
  HOLD_EXPIRED: { field: 'exchangeId', message: 'The hold expired before delivery; the exchange has lapsed.' },
  ACTUAL_MUST_NOT_BE_NEGATIVE: { field: 'actualAmount', message: 'The actual amount must be zero or more.' },
  AMOUNT_ABOVE_HOLD_NEEDS_APPROVAL: {
    field: 'approveAmountAboveHold',
    message: 'The actual amount is above the hold: confirm with approveAmountAboveHold.',
  },
  EXTRA_PAYMENT_REFUSED: {
    field: 'approveAmountAboveHold',
    message: "The receiver's account cannot pay the amount above the hold.",
  },
  SETTLEMENT_REFUSED: {
    field: 'exchangeId',
    message: 'The ledger would not settle the hold: an account is frozen or closed. A coordinator can help.',
  },
  AMOUNT_REQUIRED: { field: 'amount', message: 'Posting part of a hold needs the amount.' },
  AMOUNT_EXCEEDS_HOLD: { field: 'amount', message: 'A dispute can post at most the hold.' },
  REASON_REQUIRED: { field: 'reason', message: 'This step needs a written reason.' },
  NOT_SETTLED: { field: 'exchangeId', message: 'Only a settled exchange can be reviewed.' },
  ALREADY_REVIEWED: { field: 'exchangeId', message: 'You have already reviewed this exchange.' },
  RECEIVER_NOT_MEMBER: {
    field: 'receiverIds',
    message: 'Every receiver must be an active member of the community, other than the provider.',
  },
  GROUP_SETTLES_TOGETHER: {
    field: 'exchangeId',
    message: 'A place in a group exchange settles with its group: its provider settles them together.',
  },
  NOTHING_TO_SETTLE: { field: 'groupId', message: 'No place of the group is accepted and still held.' },
};

export const exchangeError = userErrorCodes(
  ExchangeErrorCode,
  'ExchangeErrorCode',
  'Why an exchange action was refused. A refusal changes nothing.',
  EXCHANGE_ERRORS,
).userError;
