import { registerEnumType } from '@nestjs/graphql';

export enum ListingKind {
  OFFER = 'offer',
  REQUEST = 'request',
}
registerEnumType(ListingKind, {
  name: 'ListingKind',
  valuesMap: { OFFER: { description: 'I can give this.' }, REQUEST: { description: 'I am looking for this.' } },
});

export enum ListingNature {
  SERVICE = 'service',
  GOODS = 'goods',
}
registerEnumType(ListingNature, {
  name: 'ListingNature',
  valuesMap: {
    SERVICE: { description: 'Labour, priced per hour or fixed.' },
    GOODS: { description: 'Things, with a quantity.' },
  },
});

export enum PricingUnit {
  PER_HOUR = 'per_hour',
  FIXED = 'fixed',
}
registerEnumType(PricingUnit, { name: 'PricingUnit' });

export enum ListingStatus {
  ACTIVE = 'active',
  PAUSED = 'paused',
  CLOSED = 'closed',
}
registerEnumType(ListingStatus, {
  name: 'ListingStatus',
  valuesMap: {
    PAUSED: { description: 'Hidden from search until resumed.' },
    CLOSED: { description: 'Ended for good.' },
  },
});
