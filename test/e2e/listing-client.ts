import { HeldLocks, holdLocks } from '../support/held-locks.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../support/test-app.js';
import { gql, PAGE_INFO, PageView, UserErrorView } from './graphql-client.js';
import { rowId } from '../support/global-ids.js';

/** What the e2e tests send about listings: the documents, a valid listing to vary, and the rows a community holds. */

export const LISTING_FIELDS =
  'id communityId memberId kind nature title description category tags pricing price quantity district availability status expiresAt createdAt updatedAt';

export const LISTING_CATEGORIES = 'query ListingCategories { listingCategories { slug nameEn nameKo } }';
export const LISTING = `query Listing($id: ID!) { listing(id: $id) { ${LISTING_FIELDS} } }`;
export const CREATE_LISTING = `mutation CreateListing($input: CreateListingInput!) {
  createListing(input: $input) { listing { ${LISTING_FIELDS} } userErrors { code field message } }
}`;
export const UPDATE_LISTING = `mutation UpdateListing($input: UpdateListingInput!) {
  updateListing(input: $input) { listing { ${LISTING_FIELDS} } userErrors { code field message } }
}`;
export const LISTINGS = `query Listings(
  $communityId: ID!, $query: String, $kind: ListingKind, $nature: ListingNature, $category: String, $district: String,
  $minPrice: Amount, $maxPrice: Amount, $memberId: ID, $status: ListingStatus, $first: Int, $after: String
) {
  listings(
    communityId: $communityId, query: $query, kind: $kind, nature: $nature, category: $category, district: $district,
    minPrice: $minPrice, maxPrice: $maxPrice, memberId: $memberId, status: $status, first: $first, after: $after
  ) { edges { cursor node { ${LISTING_FIELDS} } } ${PAGE_INFO} }
}`;

export interface ListingView {
  id: string;
  communityId: string;
  memberId: string;
  kind: 'OFFER' | 'REQUEST';
  nature: 'SERVICE' | 'GOODS';
  title: string;
  description: string;
  category: string;
  tags: string[];
  pricing: 'PER_HOUR' | 'FIXED';
  price: string;
  quantity: number | null;
  district: string;
  availability: string;
  status: 'ACTIVE' | 'PAUSED' | 'CLOSED';
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ListingPayloadView {
  listing: ListingView | null;
  userErrors: UserErrorView[];
}

/** The arguments of `listings`, other than the community. */
export type ListingSearch = Partial<
  Record<
    'query' | 'kind' | 'nature' | 'category' | 'district' | 'minPrice' | 'maxPrice' | 'memberId' | 'status' | 'after',
    string
  >
> & {
  first?: number;
};

/** A valid service offer with only the fields it needs; tests change what they are about. */
export function listingInput(communityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    communityId,
    kind: 'OFFER',
    nature: 'SERVICE',
    title: 'Help in the garden',
    category: 'gardening',
    pricing: 'PER_HOUR',
    price: '60',
    ...overrides,
  };
}

export async function createListing(
  client: GraphqlClient,
  input: Record<string, unknown>,
): Promise<ListingPayloadView> {
  return (await gql<{ createListing: ListingPayloadView }>(client, CREATE_LISTING, { input })).createListing;
}

/** Posts a listing that must be accepted. */
export async function postListing(
  client: GraphqlClient,
  communityId: string,
  overrides: Record<string, unknown> = {},
): Promise<ListingView> {
  const payload = await createListing(client, listingInput(communityId, overrides));
  expect(payload.userErrors).toEqual([]);
  return payload.listing!;
}

export async function updateListing(
  client: GraphqlClient,
  input: Record<string, unknown>,
): Promise<ListingPayloadView> {
  return (await gql<{ updateListing: ListingPayloadView }>(client, UPDATE_LISTING, { input })).updateListing;
}

/** An update that must be accepted. */
export async function changeListing(
  client: GraphqlClient,
  listingId: string,
  changes: Record<string, unknown>,
): Promise<ListingView> {
  const payload = await updateListing(client, { listingId, ...changes });
  expect(payload.userErrors).toEqual([]);
  return payload.listing!;
}

export async function fetchListing(client: GraphqlClient, id: string): Promise<ListingView> {
  return (await gql<{ listing: ListingView }>(client, LISTING, { id })).listing;
}

export function searchListingsRaw(
  client: GraphqlClient,
  communityId: string,
  search: ListingSearch = {},
): Promise<GraphqlResponse<{ listings: PageView<ListingView> }>> {
  return client.graphql(LISTINGS, { communityId, ...search });
}

/** One page of a search that must succeed. */
export async function searchPage(
  client: GraphqlClient,
  communityId: string,
  search: ListingSearch = {},
): Promise<PageView<ListingView>> {
  return (await gql<{ listings: PageView<ListingView> }>(client, LISTINGS, { communityId, ...search })).listings;
}

/** The titles a search finds on its first page (of up to 100), newest first. */
export async function searchTitles(
  client: GraphqlClient,
  communityId: string,
  search: ListingSearch = {},
): Promise<string[]> {
  return (await searchPage(client, communityId, { first: 100, ...search })).edges.map((edge) => edge.node.title);
}

/**
 * A community's listings straight from the database, oldest first: what no refused request may
 * change. Always scoped to one community, since test files share the database.
 */
export function listingRows(t: TestApp, communityId: string): Promise<Record<string, unknown>[]> {
  return t.dataSource.query(
    `SELECT id, member_id, kind, nature, title, description, category, tags, pricing, price, quantity, district, availability, status, expires_at, updated_at
       FROM listings WHERE community_id = $1 ORDER BY id`,
    [rowId(communityId)],
  );
}

/**
 * Locks a listing's row as an UPDATE would. Requests sent meanwhile still read the listing, then
 * queue to write it: a race made to happen every time, rather than hoped for.
 */
export function lockListing(t: TestApp, listingId: string): Promise<HeldLocks> {
  return holdLocks(t, [['SELECT 1 FROM listings WHERE id = $1 FOR UPDATE', [rowId(listingId)]]]);
}
