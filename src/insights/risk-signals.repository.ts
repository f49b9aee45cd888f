import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { MAX_CYCLES_SHOWN, MAX_TRANSFERS_SHOWN } from './models/risk-signal.models.js';

/** A flagged account's holder, as every detector returns it. */
interface HolderRow {
  accountId: string;
  memberId: string;
  memberName: string;
}

/** A payment as JSON built by the database: ids and amounts as decimal text, the time as ISO 8601. */
export interface PaymentJson {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  createdAt: string;
}

export interface CycleRow extends HolderRow {
  cycleCount: number;
  /** Up to MAX_CYCLES_SHOWN, earliest first. */
  cycles: { accountIds: string[]; transfers: PaymentJson[] }[];
}

export interface LimitStreakRow extends HolderRow {
  balance: string;
  lowerLimit: string | null;
  upperLimit: string | null;
  threshold: string;
  since: Date;
  sinceTransferId: string;
}

export interface VolumeRow extends HolderRow {
  recentVolume: string;
  baselineVolume: string;
  /** The largest payments of the recent window, up to MAX_TRANSFERS_SHOWN. */
  transfers: PaymentJson[];
}

const paymentJson = (alias: string): string =>
  `jsonb_build_object('id', ${alias}.id::text, 'debitAccountId', ${alias}.debit_account_id::text, 'creditAccountId', ${alias}.credit_account_id::text,
                      'amount', ${alias}.amount::text, 'createdAt', ${alias}.created_at)`;

/*
 * Payments are posted transfers from one member account of the community to another (direct, or a
 * posted hold), found through the credit posting on the member account and the postings'
 * (account_id, created_at) index. Reversals are corrections, not trade: they are left out.
 */
const PAYMENTS = `
member_accounts AS (
  SELECT m.account_id, m.member_id, mem.display_name FROM memberships m JOIN members mem ON mem.id = m.member_id WHERE m.community_id = $1
),
payments AS (
  SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.created_at
    FROM member_accounts ma
    JOIN postings p ON p.account_id = ma.account_id AND p.amount > 0 AND p.created_at >= $2 AND p.created_at < $3
    JOIN transfers t ON t.id = p.transfer_id AND t.reverses_id IS NULL
    JOIN member_accounts payer ON payer.account_id = t.debit_account_id
)`;

/*
 * A cycle a→b→c→a is found from its middle payment b→c: some payment a→b before it (the first one is
 * enough) and some c→a after it (the last one is enough). a, b and c are distinct: a = c would take a
 * payment from an account to itself, which the ledger refuses. Each cycle is kept once, under the
 * rotation of its accounts that starts with the smallest id, with its earliest middle payment.
 */
const CYCLES_SQL = `
WITH ${PAYMENTS},
first_payments AS (SELECT DISTINCT ON (debit_account_id, credit_account_id) * FROM payments ORDER BY debit_account_id, credit_account_id, created_at, id),
last_payments AS (SELECT DISTINCT ON (debit_account_id, credit_account_id) * FROM payments ORDER BY debit_account_id, credit_account_id, created_at DESC, id DESC),
cycles AS (
  SELECT DISTINCT ON (canonical.accounts) canonical.accounts, bc.created_at AS at,
         jsonb_build_object('accountIds', jsonb_build_array(ab.debit_account_id::text, bc.debit_account_id::text, bc.credit_account_id::text),
                            'transfers', jsonb_build_array(${paymentJson('ab')}, ${paymentJson('bc')}, ${paymentJson('ca')})) AS evidence
    FROM payments bc
    JOIN first_payments ab ON ab.credit_account_id = bc.debit_account_id AND ab.created_at < bc.created_at
    JOIN last_payments ca ON ca.debit_account_id = bc.credit_account_id AND ca.credit_account_id = ab.debit_account_id AND ca.created_at > bc.created_at
    CROSS JOIN LATERAL (SELECT CASE
      WHEN ab.debit_account_id < bc.debit_account_id AND ab.debit_account_id < bc.credit_account_id THEN ARRAY[ab.debit_account_id, bc.debit_account_id, bc.credit_account_id]
      WHEN bc.debit_account_id < bc.credit_account_id THEN ARRAY[bc.debit_account_id, bc.credit_account_id, ab.debit_account_id]
      ELSE ARRAY[bc.credit_account_id, ab.debit_account_id, bc.debit_account_id] END AS accounts) canonical
   ORDER BY canonical.accounts, bc.created_at, bc.id
),
on_cycles AS (
  SELECT member.account_id, c.at, c.evidence, row_number() OVER (PARTITION BY member.account_id ORDER BY c.at, c.accounts) AS n
    FROM cycles c CROSS JOIN LATERAL unnest(c.accounts) AS member(account_id)
)
SELECT oc.account_id::text AS "accountId", ma.member_id::text AS "memberId", ma.display_name AS "memberName",
       count(*)::int AS "cycleCount", jsonb_agg(oc.evidence ORDER BY oc.n) FILTER (WHERE oc.n <= ${MAX_CYCLES_SHOWN}) AS cycles
  FROM on_cycles oc JOIN member_accounts ma ON ma.account_id = oc.account_id
 GROUP BY oc.account_id, ma.member_id, ma.display_name
 ORDER BY oc.account_id`;

/** How a limit zone is drawn: the threshold balance (from the account `a` and the percentage $3), and on which side of it is near. */
export interface LimitZone {
  /** Only accounts this holds for can be near the limit at all. */
  applies: string;
  threshold: string;
  near: '>=' | '<=';
}

export const HOARDING_ZONE: LimitZone = {
  applies: 'a.upper_limit > 0',
  threshold: 'ceil(a.upper_limit::numeric * $3 / 100)',
  near: '>=',
};

/** A credit line of L < 0: within p% of it is a balance of at most L + p% of |L|. */
export const CHRONIC_DEBT_ZONE: LimitZone = {
  applies: 'a.lower_limit < 0',
  threshold: 'a.lower_limit + floor(-a.lower_limit::numeric * $3 / 100)',
  near: '<=',
};

/*
 * Accounts near a limit at $2 (the balance_after of their last posting before it), and since when:
 * the first posting after the last one that left the account outside the zone. $4, when given, keeps
 * only those there since that instant or earlier.
 */
const limitStreaksSql = (zone: LimitZone): string => `
WITH candidates AS (
  SELECT m.account_id, m.member_id, mem.display_name, a.lower_limit, a.upper_limit, (${zone.threshold})::bigint AS threshold,
         coalesce((SELECT p.balance_after FROM postings p WHERE p.account_id = m.account_id AND p.created_at < $2
                    ORDER BY p.created_at DESC, p.account_version DESC LIMIT 1), 0) AS balance
    FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN members mem ON mem.id = m.member_id
   WHERE m.community_id = $1 AND ${zone.applies}
)
SELECT c.account_id::text AS "accountId", c.member_id::text AS "memberId", c.display_name AS "memberName",
       c.balance::text AS balance, c.lower_limit::text AS "lowerLimit", c.upper_limit::text AS "upperLimit", c.threshold::text AS threshold,
       entry.created_at AS since, entry.transfer_id::text AS "sinceTransferId"
  FROM candidates c
  CROSS JOIN LATERAL (
    SELECT p.transfer_id, p.created_at FROM postings p
     WHERE p.account_id = c.account_id AND p.created_at < $2
       AND p.account_version > coalesce((SELECT max(o.account_version) FROM postings o
                                          WHERE o.account_id = c.account_id AND o.created_at < $2 AND NOT (o.balance_after ${zone.near} c.threshold)), 0)
     ORDER BY p.account_version LIMIT 1
  ) entry
 WHERE c.balance ${zone.near} c.threshold AND ($4::timestamptz IS NULL OR entry.created_at <= $4)
 ORDER BY c.account_id`;

/*
 * Each member account's volume (paid plus received, in payments) over [$2, $3), split at $4 into the
 * baseline windows and the recent one, kept when the recent volume is at least $5 and at least $7
 * times the average of the $6 baseline windows: recent * $6 >= $7 * baseline, in integers.
 */
const VOLUMES_SQL = `
WITH ${PAYMENTS},
legs AS (
  SELECT ma.account_id, pay.*, pay.created_at >= $4 AS recent,
         row_number() OVER (PARTITION BY ma.account_id, pay.created_at >= $4 ORDER BY pay.amount DESC, pay.id) AS rank
    FROM payments pay JOIN member_accounts ma ON ma.account_id IN (pay.debit_account_id, pay.credit_account_id)
),
volumes AS (
  SELECT account_id,
         coalesce(sum(amount) FILTER (WHERE recent), 0) AS recent_volume,
         coalesce(sum(amount) FILTER (WHERE NOT recent), 0) AS baseline_volume,
         jsonb_agg(${paymentJson('legs')} ORDER BY rank) FILTER (WHERE recent AND rank <= ${MAX_TRANSFERS_SHOWN}) AS transfers
    FROM legs GROUP BY account_id
)
SELECT v.account_id::text AS "accountId", ma.member_id::text AS "memberId", ma.display_name AS "memberName",
       v.recent_volume::text AS "recentVolume", v.baseline_volume::text AS "baselineVolume", coalesce(v.transfers, '[]') AS transfers
  FROM volumes v JOIN member_accounts ma ON ma.account_id = v.account_id
 WHERE v.recent_volume >= $5 AND v.recent_volume * $6 >= $7 * v.baseline_volume
 ORDER BY v.account_id`;

/** The detectors' SQL: each one statement, aggregated in the database; Node receives one row per flagged account. */
@Injectable()
export class RiskSignalsRepository {
  constructor(private readonly db: TransactionalConnection) {}

  circularTrading(communityId: string, from: Date, to: Date): Promise<CycleRow[]> {
    return this.db.manager.query(CYCLES_SQL, [communityId, from, to]);
  }

  /** Accounts near a limit at `to`; with `since`, only those near it continuously since then or earlier. */
  limitStreaks(
    communityId: string,
    to: Date,
    zone: LimitZone,
    percent: number,
    since: Date | null,
  ): Promise<LimitStreakRow[]> {
    return this.db.manager.query(limitStreaksSql(zone), [communityId, to, percent, since]);
  }

  volumes(
    communityId: string,
    window: { baselineStart: Date; windowStart: Date; to: Date },
    minimum: bigint,
    baselineWindows: number,
    factor: number,
  ): Promise<VolumeRow[]> {
    return this.db.manager.query(VOLUMES_SQL, [
      communityId,
      window.baselineStart,
      window.to,
      window.windowStart,
      minimum.toString(),
      baselineWindows,
      factor,
    ]);
  }
}
