import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Bucket } from './statistics-buckets.js';

/** One bucket's figures as the database adds them up; amounts are the decimal text of bigints. */
export interface BucketRow {
  amountExchanged: string;
  reversedAmount: string;
  transferCount: number;
  byCategory: { category: string | null; amount: string }[];
  byDistrict: { district: string | null; amount: string }[];
  activeMembers: number;
  newMembers: number;
  moneyInMembersHands: string;
}

export interface StatisticsRows {
  buckets: BucketRow[];
  /** Distinct members active over the whole period: not the sum of the buckets'. */
  activeMembers: number;
}

/*
 * Every figure is aggregated here, in one statement (one snapshot), driven by the community's member
 * accounts through the postings' (account_id, created_at) index. Node receives one row per bucket.
 *
 * - A posting falls in bucket width_bucket(created_at, starts): a binary search over the bucket starts.
 * - An exchange is a member-to-member transfer, seen once through its credit posting. Its category and
 *   district come from the payment itself or, for a reversal, from the payment it reverses: a posted
 *   hold names its exchange through exchanges.hold_transfer_id; an exchange's payment above its hold is
 *   the system's transfer keyed `system exchange-extra <exchange id>` (ExchangesService).
 * - Money in members' hands at an instant is the sum over member postings before it of the change each
 *   made to its account's positive part, max(balance_after, 0) - max(balance_before, 0): a running sum,
 *   so one pass gives every bucket's end without a balance lookup per account and bucket.
 */
const STATISTICS_SQL = `
WITH bounds AS (SELECT $4::timestamptz[] AS starts),
member_accounts AS (
  SELECT account_id, member_id FROM memberships WHERE community_id = $1
),
period_postings AS (
  SELECT p.transfer_id, p.amount, p.balance_after, ma.member_id, width_bucket(p.created_at, bounds.starts) AS k
    FROM member_accounts ma
    JOIN postings p ON p.account_id = ma.account_id AND p.created_at >= $2 AND p.created_at < $3
    CROSS JOIN bounds
),
opening AS (
  SELECT coalesce(sum(greatest(p.balance_after, 0) - greatest(p.balance_after - p.amount, 0)), 0) AS money
    FROM member_accounts ma JOIN postings p ON p.account_id = ma.account_id AND p.created_at < $2
),
posting_totals AS (
  SELECT k, count(DISTINCT member_id) AS active_members,
         sum(greatest(balance_after, 0) - greatest(balance_after - amount, 0)) AS money_change
    FROM period_postings GROUP BY k
),
exchanged AS (
  SELECT p.k,
         CASE WHEN t.reverses_id IS NULL THEN t.amount ELSE -t.amount END AS amount,
         CASE WHEN t.reverses_id IS NULL THEN 0 ELSE t.amount END AS reversed,
         l.category,
         coalesce(nullif(l.district, ''), nullif(earner.district, '')) AS district
    FROM period_postings p
    JOIN transfers t ON t.id = p.transfer_id
    JOIN memberships payer ON payer.account_id = t.debit_account_id AND payer.community_id = $1
    JOIN transfers paid ON paid.id = coalesce(t.reverses_id, t.id)
    LEFT JOIN exchanges held ON held.hold_transfer_id = paid.pending_id
    LEFT JOIN exchanges topped ON paid.code = 'exchange_extra'
                              AND topped.id = substring(paid.idempotency_key FROM '^system exchange-extra ([0-9]{1,18})$')::bigint
    LEFT JOIN listings l ON l.id = coalesce(held.listing_id, topped.listing_id)
    JOIN memberships earning ON earning.account_id = paid.credit_account_id
    JOIN members earner ON earner.id = earning.member_id
   WHERE p.amount > 0
),
exchange_totals AS (
  SELECT k, sum(amount) AS amount, sum(reversed) AS reversed, count(*) AS transfers FROM exchanged GROUP BY k
),
by_category AS (
  SELECT k, jsonb_agg(jsonb_build_object('category', category, 'amount', amount::text) ORDER BY amount DESC, category NULLS LAST) AS items
    FROM (SELECT k, category, sum(amount) AS amount FROM exchanged GROUP BY k, category) c GROUP BY k
),
by_district AS (
  SELECT k, jsonb_agg(jsonb_build_object('district', district, 'amount', amount::text) ORDER BY amount DESC, district NULLS LAST) AS items
    FROM (SELECT k, district, sum(amount) AS amount FROM exchanged GROUP BY k, district) d GROUP BY k
),
joined AS (
  SELECT width_bucket(m.approved_at, bounds.starts) AS k, count(*) AS new_members
    FROM memberships m CROSS JOIN bounds
   WHERE m.community_id = $1 AND m.approved_at >= $2 AND m.approved_at < $3
   GROUP BY 1
)
SELECT coalesce(x.amount, 0)::text AS "amountExchanged",
       coalesce(x.reversed, 0)::text AS "reversedAmount",
       coalesce(x.transfers, 0)::int AS "transferCount",
       coalesce(c.items, '[]') AS "byCategory",
       coalesce(d.items, '[]') AS "byDistrict",
       coalesce(pt.active_members, 0)::int AS "activeMembers",
       coalesce(j.new_members, 0)::int AS "newMembers",
       (o.money + sum(coalesce(pt.money_change, 0)) OVER (ORDER BY b.k))::text AS "moneyInMembersHands",
       (SELECT count(DISTINCT member_id) FROM period_postings)::int AS "periodActiveMembers"
  FROM generate_series(1, cardinality($4::timestamptz[])) AS b(k)
  CROSS JOIN opening o
  LEFT JOIN posting_totals pt ON pt.k = b.k
  LEFT JOIN exchange_totals x ON x.k = b.k
  LEFT JOIN by_category c ON c.k = b.k
  LEFT JOIN by_district d ON d.k = b.k
  LEFT JOIN joined j ON j.k = b.k
 ORDER BY b.k`;

@Injectable()
export class StatisticsRepository {
  constructor(private readonly db: TransactionalConnection) {}

  async statistics(communityId: string, buckets: Bucket[]): Promise<StatisticsRows> {
    const from = buckets[0].start;
    const to = buckets[buckets.length - 1].end;
    const rows: (BucketRow & { periodActiveMembers: number })[] = await this.db.manager.query(STATISTICS_SQL, [
      communityId,
      from,
      to,
      buckets.map((bucket) => bucket.start),
    ]);
    return {
      buckets: rows.map(({ periodActiveMembers: _, ...bucket }) => bucket),
      activeMembers: rows[0]?.periodActiveMembers ?? 0,
    };
  }
}
