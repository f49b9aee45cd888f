import { ExchangeGroupEntity } from './exchange-group.entity.js';
import { ExchangeEntity } from './exchange.entity.js';
import { ListingCategoryEntity } from './listing-category.entity.js';
import { ListingEntity } from './listing.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { ReviewEntity } from './review.entity.js';

export const EXCHANGE_ENTITIES = [ListingCategoryEntity, ListingEntity, ExchangeGroupEntity, ExchangeEntity, ReviewEntity, OutboxEventEntity];
