import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { localStatementTimeout, TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { AccountKind, TransferKind } from '../ledger/models/ledger-enums.js';
import { BalanceLine, ExportKind, StatementLine } from './models/report.models.js';

type Row = Record<string, unknown>;

/** A statement with its parameters, run as a page (LIMIT) or streamed whole. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** [from, to): `from` null is the beginning of time. */
export interface Period {
  from: Date | null;
  to: Date;
}

/** A transfer as the transfers export lists it: with the accounts its postings are on. */
export interface TransferRecord {
  id: string;
  createdAt: Date;
  kind: TransferKind;
  code: string;
  memo: string;
  currencyCode: string;
  amount: bigint;
  debitAccountId: string;
  creditAccountId: string;
  pendingTransferId: string | null;
  reversesTransferId: string | null;
}

export interface KindTotals {
  currencyId: string;
  kind: AccountKind;
  accountCount: number;
  debits: bigint;
  credits: bigint;
  positiveBalances: bigint;
  negativeBalances: bigint;
  accountsInDebt: number;
}

export interface StatementTotals {
  openingBalance: bigint;
  closingBalance: bigint;
  debits: bigint;
  credits: bigint;
  lineCount: number;
  /** The account's versions the period spans, (afterVersion, throughVersion]: its lines are exactly these postings. */
  afterVersion: bigint;
  throughVersion: bigint;
}

export interface ExportLinkRecord {
  id: string;
  communityId: string;
  kind: ExportKind;
  accountId: string | null;
  period: Period | null;
  asOf: Date | null;
  requester: Record<string, unknown>;
  expiresAt: Date;
}

export type NewExportLink = Omit<ExportLinkRecord, 'id' | 'expiresAt'> & { tokenHash: string; lifetimeSeconds: number };

/** Rows read through a cursor in a snapshot of their own; `close` ends the snapshot and returns its connection. */
export interface RowStream {
  rows: Readable;
  close(): Promise<void>;
}

const big = (value: unknown): bigint => BigInt(value as string);

/**
 * THE definition of a balance at an instant, which every report and export here shares: the
 * account's postings created before `before` (exclusive; NULL counts nothing). Postings take their
 * time under the account's lock, so these are the account's first n postings, whatever the instant.
 * Opening and closing balances, balance lines and their totals are all this, at different bounds.
 */
function postedBefore(accountId: string, before: string): string {
  return `LATERAL (
    SELECT COALESCE(sum(-p.amount) FILTER (WHERE p.amount < 0), 0)::bigint AS debits,
           COALESCE(sum(p.amount) FILTER (WHERE p.amount > 0), 0)::bigint AS credits,
           count(*)::bigint AS postings
      FROM postings p WHERE p.account_id = ${accountId} AND p.created_at < ${before})`;
}

/**
 * Every account of a community that existed before `before`, with its totals then, in order of
 * currency and account: a report of a past instant lists the accounts it had, as a closed period does.
 */
export function balanceLinesQuery(filter: {
  communityId: string;
  before: Date;
  currencyId?: string;
  afterAccountId?: bigint;
  limit?: number;
}): SqlQuery {
  const values: unknown[] = [filter.communityId, filter.before];
  let where = 'cur.community_id = $1 AND a.created_at < $2::timestamptz';
  if (filter.currencyId !== undefined) where += ` AND a.currency_id = $${values.push(filter.currencyId)}`;
  if (filter.afterAccountId !== undefined) where += ` AND a.id > $${values.push(filter.afterAccountId.toString())}`;
  const limit = filter.limit === undefined ? '' : `LIMIT $${values.push(filter.limit)}`;
  return {
    text: `SELECT a.id, a.currency_id, cur.code AS currency_code, a.kind, a.name, m.member_id, mem.display_name,
                  totals.debits, totals.credits, totals.credits - totals.debits AS balance
             FROM accounts a
             JOIN currencies cur ON cur.id = a.currency_id
             CROSS JOIN ${postedBefore('a.id', '$2::timestamptz')} totals
             LEFT JOIN memberships m ON m.account_id = a.id
             LEFT JOIN members mem ON mem.id = m.member_id
            WHERE ${where}
            ORDER BY a.currency_id, a.id ${limit}`,
    values,
  };
}

/** An account's postings in the period, oldest first, with what a statement shows of their transfers. */
export function statementLinesQuery(filter: {
  accountId: string;
  period: Period;
  afterVersion?: bigint;
  /** The statement's last version: postings committed after its totals were taken stay out of its pages. */
  throughVersion?: bigint;
  limit?: number;
}): SqlQuery {
  const values: unknown[] = [filter.accountId, filter.period.from, filter.period.to];
  // The complement of postedBefore(from) within postedBefore(to), so that the lines are exactly closing minus opening.
  let where = `p.account_id = $1 AND p.created_at >= COALESCE($2::timestamptz, '-infinity') AND p.created_at < $3::timestamptz`;
  if (filter.afterVersion !== undefined)
    where += ` AND p.account_version > $${values.push(filter.afterVersion.toString())}`;
  if (filter.throughVersion !== undefined)
    where += ` AND p.account_version <= $${values.push(filter.throughVersion.toString())}`;
  const limit = filter.limit === undefined ? '' : `LIMIT $${values.push(filter.limit)}`;
  return {
    text: `SELECT p.id, p.transfer_id, p.account_id, p.amount, p.balance_after, p.account_version, p.created_at, t.kind, t.code, t.memo,
                  CASE WHEN t.debit_account_id = p.account_id THEN t.credit_account_id ELSE t.debit_account_id END AS counterparty_account_id
             FROM postings p JOIN transfers t ON t.id = p.transfer_id
            WHERE ${where}
            ORDER BY p.account_version ${limit}`,
    values,
  };
}

/** A community's transfers created in the period, in order of creation (id). */
export function transfersQuery(filter: { communityId: string; period: Period }): SqlQuery {
  return {
    text: `SELECT t.id, t.created_at, t.kind, t.code, t.memo, cur.code AS currency_code, t.amount, t.debit_account_id, t.credit_account_id,
                  t.pending_id, t.reverses_id
             FROM transfers t JOIN currencies cur ON cur.id = t.currency_id
            WHERE cur.community_id = $1 AND t.created_at >= COALESCE($2::timestamptz, '-infinity') AND t.created_at < $3::timestamptz
            ORDER BY t.id`,
    values: [filter.communityId, filter.period.from, filter.period.to],
  };
}

export function toBalanceLine(row: Row): BalanceLine {
  return {
    accountId: row.id as string,
    currencyId: row.currency_id as string,
    currencyCode: row.currency_code as string,
    kind: row.kind as AccountKind,
    name: row.name as string,
    memberId: (row.member_id as string | null) ?? null,
    memberDisplayName: (row.display_name as string | null) ?? null,
    debits: big(row.debits),
    credits: big(row.credits),
    balance: big(row.balance),
  };
}

export function toStatementLine(row: Row): StatementLine {
  return {
    postingId: row.id as string,
    transferId: row.transfer_id as string,
    accountId: row.account_id as string,
    transferKind: row.kind as TransferKind,
    counterpartyAccountId: row.counterparty_account_id as string,
    code: row.code as string,
    memo: row.memo as string,
    amount: big(row.amount),
    balanceAfter: big(row.balance_after),
    accountVersion: big(row.account_version),
    createdAt: row.created_at as Date,
  };
}

export function toTransferRecord(row: Row): TransferRecord {
  return {
    id: row.id as string,
    createdAt: row.created_at as Date,
    kind: row.kind as TransferKind,
    code: row.code as string,
    memo: row.memo as string,
    currencyCode: row.currency_code as string,
    amount: big(row.amount),
    debitAccountId: row.debit_account_id as string,
    creditAccountId: row.credit_account_id as string,
    pendingTransferId: (row.pending_id as string | null) ?? null,
    reversesTransferId: (row.reverses_id as string | null) ?? null,
  };
}

function toExportLink(row: Row): ExportLinkRecord {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    kind: row.kind as ExportKind,
    accountId: (row.account_id as string | null) ?? null,
    period: row.period_to ? { from: (row.period_from as Date | null) ?? null, to: row.period_to as Date } : null,
    asOf: (row.as_of as Date | null) ?? null,
    requester: row.requester as Record<string, unknown>,
    expiresAt: row.expires_at as Date,
  };
}

/** Rows fetched per round trip when streaming: large enough to be quick, small enough to keep memory flat. */
const STREAM_BATCH_ROWS = 1000;

/** The SQL of reports and export links. Reads run on the current transaction when there is one. */
@Injectable()
export class ReportsRepository {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly dataSource: DataSource,
  ) {}

  private async query(sql: string, params: unknown[] = [], manager: EntityManager = this.db.manager): Promise<Row[]> {
    return returnedRows(await manager.query(sql, params));
  }

  /** The database's clock, which stamps postings: "now" for every replica alike. */
  async now(): Promise<Date> {
    const [row] = await this.query('SELECT clock_timestamp() AS now');
    return row.now as Date;
  }

  async page<T>(query: SqlQuery, toRecord: (row: Row) => T): Promise<T[]> {
    return (await this.query(query.text, query.values)).map(toRecord);
  }

  /** Each currency's balance lines summed per account kind: the totals of exactly the lines listed. */
  async kindTotals(communityId: string, before: Date): Promise<KindTotals[]> {
    const lines = balanceLinesQuery({ communityId, before });
    const rows = await this.query(
      `SELECT currency_id, kind, count(*)::int AS account_count, sum(debits) AS debits, sum(credits) AS credits,
              COALESCE(sum(balance) FILTER (WHERE balance > 0), 0) AS positive_balances,
              COALESCE(sum(balance) FILTER (WHERE balance < 0), 0) AS negative_balances,
              count(*) FILTER (WHERE balance < 0)::int AS accounts_in_debt
         FROM (${lines.text}) line
        GROUP BY currency_id, kind`,
      lines.values,
    );
    return rows.map((row) => ({
      currencyId: row.currency_id as string,
      kind: row.kind as AccountKind,
      accountCount: row.account_count as number,
      debits: big(row.debits),
      credits: big(row.credits),
      positiveBalances: big(row.positive_balances),
      negativeBalances: big(row.negative_balances),
      accountsInDebt: row.accounts_in_debt as number,
    }));
  }

  /**
   * Opening and closing totals, in one statement and so from one snapshot. They name the versions
   * the period spans, which every page of lines keeps to: pages read later agree with these totals
   * even while money moves.
   */
  async statementTotals(accountId: string, period: Period): Promise<StatementTotals> {
    const [row] = await this.query(
      `SELECT opening.debits AS opening_debits, opening.credits AS opening_credits, opening.postings AS opening_postings,
              closing.debits AS closing_debits, closing.credits AS closing_credits, closing.postings AS closing_postings
         FROM (SELECT $1::bigint AS id) account
        CROSS JOIN ${postedBefore('account.id', '$2::timestamptz')} opening
        CROSS JOIN ${postedBefore('account.id', '$3::timestamptz')} closing`,
      [accountId, period.from, period.to],
    );
    return toStatementTotals(row);
  }

  /**
   * Runs `query` on a connection of its own, in a REPEATABLE READ READ ONLY transaction (one
   * consistent snapshot however long the read), through a cursor that fetches a batch at a time
   * as the reader asks for more: memory stays bounded whatever the size.
   */
  async stream(query: SqlQuery): Promise<RowStream> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await client.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // A download of any size is a long read: each fetch runs under the job timeout, not the request one.
      await client.query(localStatementTimeout(this.db.jobStatementTimeoutMs));
    } catch (error) {
      await runner.release();
      throw error;
    }
    const rows = client.query(new QueryStream(query.text, query.values, { batchSize: STREAM_BATCH_ROWS }));
    let closed = false;
    return {
      rows,
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await untilClosed(rows);
          // A read-only snapshot has nothing to commit.
          await client.query('ROLLBACK');
        } finally {
          await runner.release();
        }
      },
    };
  }

  async insertExportLink(link: NewExportLink): Promise<ExportLinkRecord> {
    const [row] = await this.query(
      `INSERT INTO report_exports (token_hash, community_id, kind, account_id, period_from, period_to, as_of, requester, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp() + make_interval(secs => $9)) RETURNING *`,
      [
        link.tokenHash,
        link.communityId,
        link.kind,
        link.accountId,
        link.period?.from ?? null,
        link.period?.to ?? null,
        link.asOf,
        JSON.stringify(link.requester),
        link.lifetimeSeconds,
      ],
    );
    return toExportLink(row);
  }

  /** The link with this token hash, and whether it has expired by the database's clock. */
  async findExportLink(tokenHash: string): Promise<{ link: ExportLinkRecord; expired: boolean } | null> {
    const [row] = await this.query(
      'SELECT *, expires_at <= clock_timestamp() AS expired FROM report_exports WHERE token_hash = $1',
      [tokenHash],
    );
    return row ? { link: toExportLink(row), expired: row.expired as boolean } : null;
  }

  /** Forgets links that expired more than `graceSeconds` ago (until then a late download is told "expired", not "unknown"). */
  async deleteExpiredExportLinks(graceSeconds: number, limit: number): Promise<number> {
    const rows = await this.query(
      `DELETE FROM report_exports WHERE id IN (
         SELECT id FROM report_exports WHERE expires_at < clock_timestamp() - make_interval(secs => $1) ORDER BY expires_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [graceSeconds, limit],
    );
    return rows.length;
  }
}

/** Destroys the stream if need be and waits until its cursor is closed, so that the connection is free for the next statement. */
async function untilClosed(stream: Readable): Promise<void> {
  if (stream.closed) return;
  const closed = new Promise((done) => stream.once('close', done));
  stream.destroy();
  await closed;
}

function toStatementTotals(row: Row): StatementTotals {
  const openingBalance = big(row.opening_credits) - big(row.opening_debits);
  const closingBalance = big(row.closing_credits) - big(row.closing_debits);
  return {
    openingBalance,
    closingBalance,
    debits: big(row.closing_debits) - big(row.opening_debits),
    credits: big(row.closing_credits) - big(row.opening_credits),
    lineCount: Number(big(row.closing_postings) - big(row.opening_postings)),
    // Versions run 1..n in the order postings take their time, so the first `postings` are those before a bound.
    afterVersion: big(row.opening_postings),
    throughVersion: big(row.closing_postings),
  };
}
