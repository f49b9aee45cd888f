import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { LedgerPeriod } from './models/period.models.js';

type Row = Record<string, unknown>;

const PERIOD_COLUMNS = `p.id, p.currency_id, p.closed_through, p.closed_at, p.closed_by, p.note,
  coalesce((SELECT json_agg(json_build_object('accountId', b.account_id::text, 'balance', b.balance::text) ORDER BY b.account_id)
              FROM ledger_period_balances b WHERE b.period_id = p.id), '[]') AS balances`;

function toPeriod(row: Row): LedgerPeriod {
  return {
    id: row.id as string,
    currencyId: row.currency_id as string,
    closedThrough: row.closed_through as Date,
    closedAt: row.closed_at as Date,
    closedBy: row.closed_by as string | null,
    note: row.note as string,
    balances: (row.balances as { accountId: string; balance: string }[]).map(({ accountId, balance }) => ({
      accountId,
      balance: BigInt(balance),
    })),
  };
}

/** The periods of a community's currencies ($1: the community). */
const PERIODS_OF_COMMUNITY = 'p.currency_id IN (SELECT id FROM currencies WHERE community_id = $1)';

/** Closed periods and the balances they closed on. */
@Injectable()
export class PeriodsRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** 'closed' with the period's id, or the refusal of `ledger_close_period`. */
  async close(
    currencyId: string,
    through: Date,
    closedBy: string | null,
    note: string,
  ): Promise<{ outcome: string; periodId: string | null }> {
    const [row] = await this.query('SELECT * FROM ledger_close_period($1, $2, $3, $4)', [
      currencyId,
      through,
      closedBy,
      note,
    ]);
    return { outcome: row.outcome as string, periodId: row.period_id as string | null };
  }

  async find(id: string): Promise<LedgerPeriod> {
    const [row] = await this.query(`SELECT ${PERIOD_COLUMNS} FROM ledger_periods p WHERE p.id = $1`, [id]);
    return toPeriod(row);
  }

  /** A community's closed periods, latest first. */
  async list(filter: { communityId: string; beforeId?: bigint; limit: number }): Promise<LedgerPeriod[]> {
    const params: unknown[] = [filter.communityId];
    const before = filter.beforeId === undefined ? '' : ` AND p.id < $${params.push(filter.beforeId.toString())}`;
    const rows = await this.query(
      `SELECT ${PERIOD_COLUMNS} FROM ledger_periods p
        WHERE ${PERIODS_OF_COMMUNITY}${before}
        ORDER BY p.id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toPeriod);
  }

  /** How many periods a community has closed: a few a year. */
  async count(communityId: string): Promise<number> {
    const [row] = await this.query(
      `SELECT count(*)::int AS count FROM ledger_periods p WHERE ${PERIODS_OF_COMMUNITY}`,
      [communityId],
    );
    return row.count as number;
  }
}
