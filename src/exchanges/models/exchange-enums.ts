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
  description: 'Where an exchange stands; docs/exchanges.md draws every move between these states and who may make it.',
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
registerEnumType(ExchangeRole, {
  name: 'ExchangeRole',
  description: 'Which side of a direct exchange the proposer takes.',
  valuesMap: {
    PROVIDER: { description: 'You provide the work or goods, and the other member pays you.' },
    RECEIVER: { description: 'You receive the work or goods, and pay the other member.' },
  },
});

export enum DisputeOutcome {
  POST_FULL = 'post_full',
  POST_PART = 'post_part',
  VOID = 'void',
}
registerEnumType(DisputeOutcome, {
  name: 'DisputeOutcome',
  description: "How a coordinator settles a disputed exchange's hold.",
  valuesMap: {
    POST_FULL: { description: 'Pay the provider the whole hold.' },
    POST_PART: { description: 'Pay the provider part of the hold (`amount`); the rest goes back to the receiver.' },
    VOID: { description: 'Pay nothing: the whole hold goes back to the receiver.' },
  },
});
