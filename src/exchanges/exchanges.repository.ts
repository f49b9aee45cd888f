import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Exchange, ExchangeGroup, Review, ReviewSummary } from './models/exchange.models.js';
import { ExchangeStatus } from './models/exchange-enums.js';

type Row = Record<string, unknown>;

export interface NewExchange {
  communityId: string;
  listingId: string | null;
  groupId: string | null;
  proposerId: string;
  providerId: string;
  providerAccountId: string;
  receiverId: string;
  receiverAccountId: string;
  description: string;
  estimatedAmount: bigint;
  quantity: number | null;
}

export interface ExchangeChange {
  status: ExchangeStatus;
  holdTransferId?: string;
  actualAmount?: bigint;
  /** Null clears it. */
  dueAt?: Date | null;
  reason?: string | null;
}

const bigOrNull = (value: unknown): bigint | null => (value === null ? null : BigInt(value as string));

function toExchange(row: Row): Exchange {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    listingId: row.listing_id as string | null,
    groupId: row.group_id as string | null,
    proposerId: row.proposer_id as string,
    providerId: row.provider_id as string,
    providerAccountId: row.provider_account_id as string,
    receiverId: row.receiver_id as string,
    receiverAccountId: row.receiver_account_id as string,
    description: row.description as string,
    status: row.status as ExchangeStatus,
    estimatedAmount: BigInt(row.estimated_amount as string),
    actualAmount: bigOrNull(row.actual_amount),
    quantity: row.quantity as number | null,
    holdTransferId: row.hold_transfer_id as string | null,
    dueAt: row.due_at as Date | null,
    reason: row.reason as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function toGroup(row: Row): ExchangeGroup {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    listingId: row.listing_id as string | null,
    providerId: row.provider_id as string,
    description: row.description as string,
    estimatedAmount: BigInt(row.estimated_amount as string),
    createdAt: row.created_at as Date,
  };
}

function toReview(row: Row): Review {
  return {
    id: row.id as string,
    exchangeId: row.exchange_id as string,
    authorId: row.author_id as string,
    subjectId: row.subject_id as string,
    rating: row.rating as number,
    comment: row.comment as string,
    createdAt: row.created_at as Date,
  };
}

/** Exchanges, goods reservations and reviews. */
@Injectable()
export class ExchangesRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** The account of the member's active membership in the community, if they have one. */
  async activeAccountOf(memberId: string, communityId: string): Promise<string | null> {
    const [row] = await this.query(
      `SELECT account_id FROM memberships WHERE member_id = $1 AND community_id = $2 AND status = 'active'`,
      [memberId, communityId],
    );
    return (row?.account_id as string | undefined) ?? null;
  }

  async insert(exchange: NewExchange): Promise<Exchange> {
    const [row] = await this.query(
      `INSERT INTO exchanges (community_id, listing_id, group_id, proposer_id, provider_id, provider_account_id, receiver_id, receiver_account_id,
                              description, estimated_amount, quantity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        exchange.communityId,
        exchange.listingId,
        exchange.groupId,
        exchange.proposerId,
        exchange.providerId,
        exchange.providerAccountId,
        exchange.receiverId,
        exchange.receiverAccountId,
        exchange.description,
        exchange.estimatedAmount.toString(),
        exchange.quantity,
      ],
    );
    return toExchange(row);
  }

  async findMany(ids: string[]): Promise<Exchange[]> {
    return (await this.query('SELECT * FROM exchanges WHERE id = ANY($1::bigint[])', [ids])).map(toExchange);
  }

  async findGroups(ids: string[]): Promise<ExchangeGroup[]> {
    return (await this.query('SELECT * FROM exchange_groups WHERE id = ANY($1::bigint[])', [ids])).map(toGroup);
  }

  async find(id: string): Promise<Exchange | null> {
    const [row] = await this.query('SELECT * FROM exchanges WHERE id = $1', [id]);
    return row ? toExchange(row) : null;
  }

  /** Locked for the rest of the transaction: of two steps racing (confirm and cancel), one waits and sees the other's outcome. */
  async lock(id: string): Promise<Exchange> {
    const [row] = await this.query('SELECT * FROM exchanges WHERE id = $1 FOR UPDATE', [id]);
    return toExchange(row);
  }

  async change(id: string, change: ExchangeChange): Promise<Exchange> {
    const [row] = await this.query(
      `UPDATE exchanges SET status = $2, hold_transfer_id = coalesce($3, hold_transfer_id), actual_amount = coalesce($4, actual_amount),
              due_at = CASE WHEN $5 THEN $6::timestamptz ELSE due_at END, reason = CASE WHEN $7 THEN $8 ELSE reason END, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [
        id,
        change.status,
        change.holdTransferId ?? null,
        change.actualAmount?.toString() ?? null,
        change.dueAt !== undefined,
        change.dueAt ?? null,
        change.reason !== undefined,
        change.reason ?? null,
      ],
    );
    return toExchange(row);
  }

  async insertGroup(group: Omit<ExchangeGroup, 'id' | 'createdAt'>): Promise<ExchangeGroup> {
    const [row] = await this.query(
      'INSERT INTO exchange_groups (community_id, listing_id, provider_id, description, estimated_amount) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [group.communityId, group.listingId, group.providerId, group.description, group.estimatedAmount.toString()],
    );
    return toGroup(row);
  }

  async findGroup(id: string): Promise<ExchangeGroup | null> {
    const [row] = await this.query('SELECT * FROM exchange_groups WHERE id = $1', [id]);
    return row ? toGroup(row) : null;
  }

  /** The group's places, locked in id order: settling a group and a step on one of its places take turns. */
  async lockPlaces(groupId: string): Promise<Exchange[]> {
    return (await this.query('SELECT * FROM exchanges WHERE group_id = $1 ORDER BY id FOR UPDATE', [groupId])).map(
      toExchange,
    );
  }

  async placesOf(groupId: string): Promise<Exchange[]> {
    return (await this.query('SELECT * FROM exchanges WHERE group_id = $1 ORDER BY id', [groupId])).map(toExchange);
  }

  /** Accepted or delivered exchanges whose due time has passed, oldest first. */
  async dueIds(limit: number): Promise<string[]> {
    const rows = await this.query(
      `SELECT id FROM exchanges WHERE status IN ('accepted', 'delivered') AND due_at <= now() ORDER BY due_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id as string);
  }

  /** The exchange, locked, if it is still due and no other replica holds it; null otherwise. */
  async lockIfDue(id: string): Promise<Exchange | null> {
    const [row] = await this.query(
      `SELECT * FROM exchanges WHERE id = $1 AND status IN ('accepted', 'delivered') AND due_at <= now() FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return row ? toExchange(row) : null;
  }

  /** Newest first: a member's own (as either party), or a whole community's. */
  async list(filter: {
    memberId?: string;
    communityId?: string;
    status?: ExchangeStatus;
    beforeId?: bigint;
    limit: number;
  }): Promise<Exchange[]> {
    const params: unknown[] = [];
    let where = 'TRUE';
    if (filter.memberId) where += ` AND $${params.push(filter.memberId)} IN (provider_id, receiver_id)`;
    if (filter.communityId) where += ` AND community_id = $${params.push(filter.communityId)}`;
    if (filter.status) where += ` AND status = $${params.push(filter.status)}`;
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    const rows = await this.query(
      `SELECT * FROM exchanges WHERE ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toExchange);
  }

  /** Takes units from an active listing only if that many are left: of two members racing for the last unit, one gets it. */
  async reserveUnits(listingId: string, units: number): Promise<boolean> {
    const rows = await this.query(
      `UPDATE listings SET quantity = quantity - $2, updated_at = now() WHERE id = $1 AND status = 'active' AND quantity >= $2 RETURNING id`,
      [listingId, units],
    );
    return rows.length === 1;
  }

  async releaseUnits(listingId: string, units: number): Promise<void> {
    await this.query('UPDATE listings SET quantity = quantity + $2, updated_at = now() WHERE id = $1', [
      listingId,
      units,
    ]);
  }

  /** Null when this author already reviewed this exchange: the unique key decides. */
  async insertReview(review: {
    exchangeId: string;
    authorId: string;
    subjectId: string;
    rating: number;
    comment: string;
  }): Promise<Review | null> {
    const rows = await this.query(
      `INSERT INTO reviews (exchange_id, author_id, subject_id, rating, comment) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (exchange_id, author_id) DO NOTHING RETURNING *`,
      [review.exchangeId, review.authorId, review.subjectId, review.rating, review.comment],
    );
    return rows[0] ? toReview(rows[0]) : null;
  }

  /** The latest `perSubject` reviews of each member, newest first, in one query for all of them. */
  async reviewsOf(subjectIds: string[], perSubject: number): Promise<Review[]> {
    const rows = await this.query(
      `SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY r.subject_id ORDER BY r.id DESC) AS rank
                        FROM reviews r WHERE r.subject_id = ANY($1::bigint[])) latest
        WHERE rank <= $2 ORDER BY subject_id, id DESC`,
      [subjectIds, perSubject],
    );
    return rows.map(toReview);
  }

  /** Each member's count and average rating by the member's id, in one query; a member without reviews is absent. */
  async reviewSummaries(subjectIds: string[]): Promise<(ReviewSummary & { id: string })[]> {
    const rows = await this.query(
      `SELECT subject_id, count(*)::int AS count, avg(rating)::float8 AS average FROM reviews
        WHERE subject_id = ANY($1::bigint[]) GROUP BY subject_id`,
      [subjectIds],
    );
    return rows.map((row) => ({
      id: String(row.subject_id),
      count: row.count as number,
      averageRating: row.average as number | null,
    }));
  }
}
