import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why a listing action was refused. Stable: partners switch on these. */
export enum ListingErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  UNKNOWN_CATEGORY = 'UNKNOWN_CATEGORY',
  PRICE_MUST_NOT_BE_NEGATIVE = 'PRICE_MUST_NOT_BE_NEGATIVE',
  QUANTITY_IS_FOR_GOODS = 'QUANTITY_IS_FOR_GOODS',
  QUANTITY_REQUIRED = 'QUANTITY_REQUIRED',
  LISTING_CLOSED = 'LISTING_CLOSED',
}

const LISTING_ERRORS: Record<ListingErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  UNKNOWN_CATEGORY: { field: 'category', message: 'No category has this slug; see listingCategories.' },
  PRICE_MUST_NOT_BE_NEGATIVE: { field: 'price', message: 'The price must be zero or more.' },
  QUANTITY_IS_FOR_GOODS: { field: 'quantity', message: 'Only goods have a quantity.' },
  QUANTITY_REQUIRED: { field: 'quantity', message: 'Goods need a quantity.' },
  LISTING_CLOSED: { field: 'listingId', message: 'The listing is closed; it cannot change any more.' },
};

export const listingError = userErrorCodes(
  ListingErrorCode,
  'ListingErrorCode',
  'Why a listing action was refused. A refusal changes nothing.',
  LISTING_ERRORS,
).userError;
