import { Injectable } from '@nestjs/common';
import { containing } from '../../libs/database/like-pattern.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
// The very expression the search index was built on: a query must repeat it to use the index.
import { Listing, ListingCategory } from './models/listing.models.js';
import { ListingKind, ListingNature, ListingStatus, PricingUnit } from './models/listing-enums.js';

/**
 * The words of a listing, weighted title first. It must be the very expression of the index
 * IDX_listings_search (made by the listings migration) for a search to use that index; the listings
 * tests check that the planner can.
 */
export const LISTING_WORDS = `setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "description"), 'B')`;

type Row = Record<string, unknown>;

export interface NewListing {
  communityId: string;
  memberId: string;
  kind: ListingKind;
  nature: ListingNature;
  title: string;
  description: string;
  category: string;
  tags: string[];
  pricing: PricingUnit;
  price: bigint;
  quantity: number | null;
  district: string;
  availability: string;
  expiresAt: Date | null;
}

export type ListingChanges = Partial<Omit<NewListing, 'communityId' | 'memberId' | 'kind' | 'nature'>> & {
  status?: ListingStatus;
};

export interface ListingSearch {
  communityId: string;
  query?: string;
  kind?: ListingKind;
  nature?: ListingNature;
  category?: string;
  district?: string;
  minPrice?: bigint;
  maxPrice?: bigint;
  status: ListingStatus;
  memberId?: string;
}

function toListing(row: Row): Listing {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    memberId: row.member_id as string,
    kind: row.kind as ListingKind,
    nature: row.nature as ListingNature,
    title: row.title as string,
    description: row.description as string,
    category: row.category as string,
    tags: row.tags as string[],
    pricing: row.pricing as PricingUnit,
    price: BigInt(row.price as string),
    quantity: row.quantity as number | null,
    district: row.district as string,
    availability: row.availability as string,
    status: row.status as ListingStatus,
    expiresAt: row.expires_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

const COLUMNS: Record<keyof ListingChanges, string> = {
  title: 'title',
  description: 'description',
  category: 'category',
  tags: 'tags',
  pricing: 'pricing',
  price: 'price',
  quantity: 'quantity',
  district: 'district',
  availability: 'availability',
  expiresAt: 'expires_at',
  status: 'status',
};

/** Listings and their categories. */
@Injectable()
export class ListingsRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  async categories(): Promise<ListingCategory[]> {
    const rows = await this.query('SELECT slug, name_en, name_ko FROM listing_categories ORDER BY slug');
    return rows.map((row) => ({
      slug: row.slug as string,
      nameEn: row.name_en as string,
      nameKo: row.name_ko as string,
    }));
  }

  async categoryExists(slug: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM listing_categories WHERE slug = $1', [slug])).length > 0;
  }

  async insert(listing: NewListing): Promise<Listing> {
    const [row] = await this.query(
      `INSERT INTO listings (community_id, member_id, kind, nature, title, description, category, tags, pricing, price, quantity, district, availability, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
      [
        listing.communityId,
        listing.memberId,
        listing.kind,
        listing.nature,
        listing.title,
        listing.description,
        listing.category,
        listing.tags,
        listing.pricing,
        listing.price.toString(),
        listing.quantity,
        listing.district,
        listing.availability,
        listing.expiresAt,
      ],
    );
    return toListing(row);
  }

  async findMany(ids: string[]): Promise<Listing[]> {
    return (await this.query('SELECT * FROM listings WHERE id = ANY($1::bigint[])', [ids])).map(toListing);
  }

  async find(id: string): Promise<Listing | null> {
    const [row] = await this.query('SELECT * FROM listings WHERE id = $1', [id]);
    return row ? toListing(row) : null;
  }

  async lock(id: string): Promise<Listing> {
    const [row] = await this.query('SELECT * FROM listings WHERE id = $1 FOR UPDATE', [id]);
    return toListing(row);
  }

  async update(id: string, changes: ListingChanges): Promise<Listing> {
    const params: unknown[] = [id];
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(
        ([key, value]) =>
          `${COLUMNS[key as keyof ListingChanges]} = $${params.push(typeof value === 'bigint' ? value.toString() : value)}`,
      );
    const [row] = await this.query(
      `UPDATE listings SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
      params,
    );
    return toListing(row);
  }

  /**
   * Newest first, keyset-paginated on id. A query matches whole words through the word index, or
   * any part of the title or description through the trigram indexes.
   */
  async search(filter: ListingSearch & { beforeId?: bigint; limit: number }): Promise<Listing[]> {
    const search = searchWhere(filter);
    const params = search.params;
    let where = search.where;
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    const rows = await this.query(
      `SELECT * FROM listings WHERE ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toListing);
  }

  /** How many listings the search finds over all its pages. */
  async countSearch(filter: ListingSearch): Promise<number> {
    const { where, params } = searchWhere(filter);
    const [row] = await this.query(`SELECT count(*)::int AS count FROM listings WHERE ${where}`, params);
    return row.count as number;
  }
}

/** The conditions of a search, which its pages and its count share. */
function searchWhere(filter: ListingSearch): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.communityId, filter.status];
  let where = 'community_id = $1 AND status = $2';
  // An active listing past its expiry is no longer offered, though nothing has rewritten its status.
  if (filter.status === ListingStatus.ACTIVE) where += ' AND (expires_at IS NULL OR expires_at > now())';
  const text = filter.query?.trim();
  if (text) {
    const words = `$${params.push(text)}`;
    const part = `$${params.push(containing(text))}`;
    where += ` AND ((${LISTING_WORDS}) @@ websearch_to_tsquery('simple', ${words}) OR title ILIKE ${part} OR description ILIKE ${part})`;
  }
  if (filter.kind) where += ` AND kind = $${params.push(filter.kind)}`;
  if (filter.nature) where += ` AND nature = $${params.push(filter.nature)}`;
  if (filter.category) where += ` AND category = $${params.push(filter.category)}`;
  if (filter.district) where += ` AND district = $${params.push(filter.district)}`;
  if (filter.memberId) where += ` AND member_id = $${params.push(filter.memberId)}`;
  if (filter.minPrice != null) where += ` AND price >= $${params.push(filter.minPrice.toString())}`;
  if (filter.maxPrice != null) where += ` AND price <= $${params.push(filter.maxPrice.toString())}`;
  return { where, params };
}
