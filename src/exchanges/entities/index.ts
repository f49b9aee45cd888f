import { ExchangeGroupEntity } from './exchange-group.entity.js';
import { ExchangeEntity } from './exchange.entity.js';
import { ReviewEntity } from './review.entity.js';

export const EXCHANGE_ENTITIES = [ExchangeGroupEntity, ExchangeEntity, ReviewEntity];
