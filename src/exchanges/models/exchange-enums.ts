import { registerEnumType } from '@nestjs/graphql';

export enum ExchangeStatus {
  PROPOSED = 'proposed',
  ACCEPTED = 'accepted',
  DELIVERED = 'delivered',
  CONFIRMED = 'confirmed',
  CANCELLED = 'cancelled',
  DISPUTED = 'disputed',
  RESOLVED = 'resolved',
  EXPIRED = 'expired',
}
registerEnumType(ExchangeStatus, {
  name: 'ExchangeStatus',
  valuesMap: {
    PROPOSED: { description: 'Waiting for the other party to accept.' },
    ACCEPTED: { description: "Accepted: the estimated amount is held on the receiver's account." },
    DELIVERED: {
      description:
        'The provider delivered and stated the actual amount; the receiver confirms, or it confirms itself after the community delay.',
    },
    CONFIRMED: {
      description:
        'Settled: the hold was posted (in part, or with an approved extra), or voided at an actual amount of zero.',
    },
    CANCELLED: { description: 'Cancelled before delivery; the hold was released.' },
    DISPUTED: { description: 'Disputed after delivery; a coordinator resolves it.' },
    RESOLVED: { description: 'A coordinator resolved the dispute: posted in full, in part, or voided.' },
    EXPIRED: { description: 'The hold lapsed before delivery; nothing was paid.' },
  },
});

/** Which side of an exchange you take when proposing one without a listing. */
export enum ExchangeRole {
  PROVIDER = 'provider',
  RECEIVER = 'receiver',
}
registerEnumType(ExchangeRole, { name: 'ExchangeRole' });

export enum DisputeOutcome {
  POST_FULL = 'post_full',
  POST_PART = 'post_part',
  VOID = 'void',
}
registerEnumType(DisputeOutcome, { name: 'DisputeOutcome' });
