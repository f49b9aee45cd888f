import { ListingCategoryEntity } from './listing-category.entity.js';
import { ListingEntity } from './listing.entity.js';

export const LISTING_ENTITIES = [ListingCategoryEntity, ListingEntity];
