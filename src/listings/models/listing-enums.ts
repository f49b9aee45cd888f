import { registerEnumType } from '@nestjs/graphql';

export enum ListingKind {
  OFFER = 'offer',
  REQUEST = 'request',
}
registerEnumType(ListingKind, {
  name: 'ListingKind',
  description: 'Whether a listing offers or asks; it decides who provides in an exchange against it.',
  valuesMap: { OFFER: { description: 'I can give this.' }, REQUEST: { description: 'I am looking for this.' } },
});

export enum ListingNature {
  SERVICE = 'service',
  GOODS = 'goods',
}
registerEnumType(ListingNature, {
  name: 'ListingNature',
  description: 'What a listing is about: labour or things.',
  valuesMap: {
    SERVICE: { description: 'Labour, priced per hour or fixed.' },
    GOODS: { description: 'Things, with a quantity.' },
  },
});

export enum PricingUnit {
  PER_HOUR = 'per_hour',
  FIXED = 'fixed',
}
registerEnumType(PricingUnit, {
  name: 'PricingUnit',
  description: "What a listing's price is for.",
  valuesMap: {
    PER_HOUR: { description: 'The price of one hour of the work.' },
    FIXED: { description: 'One price for the whole, however long it takes.' },
  },
});

export enum ListingStatus {
  ACTIVE = 'active',
  PAUSED = 'paused',
  CLOSED = 'closed',
}
registerEnumType(ListingStatus, {
  name: 'ListingStatus',
  description: 'Whether a listing is offered; its author pauses, resumes and closes it.',
  valuesMap: {
    ACTIVE: { description: 'Offered, and found by search until its expiresAt.' },
    PAUSED: { description: 'Hidden from search until resumed.' },
    CLOSED: { description: 'Ended for good.' },
  },
});
