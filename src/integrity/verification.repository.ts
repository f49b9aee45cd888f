import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { VerificationCheck, VerificationRun, VerificationTrigger } from './models/verification.models.js';

type Row = Record<string, unknown>;

function toRun(row: Row): VerificationRun {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    trigger: row.trigger as VerificationTrigger,
    requestedBy: row.requested_by as string | null,
    startedAt: row.started_at as Date,
    finishedAt: row.finished_at as Date,
    passed: row.passed as boolean,
    checks: row.checks as VerificationCheck[],
    acknowledgedAt: row.acknowledged_at as Date | null,
    acknowledgedBy: row.acknowledged_by as string | null,
  };
}

/** Stored runs of the invariant check. */
@Injectable()
export class VerificationRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  async insert(run: Omit<VerificationRun, 'id' | 'acknowledgedAt' | 'acknowledgedBy'>): Promise<VerificationRun> {
    const [row] = await this.query(
      `INSERT INTO verification_runs (community_id, trigger, requested_by, started_at, finished_at, passed, checks)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        run.communityId,
        run.trigger,
        run.requestedBy,
        run.startedAt,
        run.finishedAt,
        run.passed,
        JSON.stringify(run.checks),
      ],
    );
    return toRun(row);
  }

  async find(id: string): Promise<VerificationRun | null> {
    const [row] = await this.query('SELECT * FROM verification_runs WHERE id = $1', [id]);
    return row ? toRun(row) : null;
  }

  /** Newest first. */
  async list(filter: {
    communityId: string;
    openAlertsOnly: boolean;
    beforeId?: bigint;
    limit: number;
  }): Promise<VerificationRun[]> {
    const params: unknown[] = [filter.communityId];
    let where = 'community_id = $1';
    if (filter.openAlertsOnly) where += ' AND NOT passed AND acknowledged_at IS NULL';
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    return (
      await this.query(
        `SELECT * FROM verification_runs WHERE ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
        params,
      )
    ).map(toRun);
  }

  /** Once: a second acknowledgement changes nothing and returns null. */
  async acknowledge(id: string, memberId: string): Promise<VerificationRun | null> {
    const [row] = await this.query(
      'UPDATE verification_runs SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND NOT passed AND acknowledged_at IS NULL RETURNING *',
      [id, memberId],
    );
    return row ? toRun(row) : null;
  }

  /**
   * Communities whose last scheduled run is older than the interval, with their currencies, locked
   * so that replicas take different ones (and none is checked twice at once).
   * FOR NO KEY UPDATE, not FOR UPDATE: the claim is held for the whole ledger scan, and every
   * insert that references the community (listings, exchanges, memberships, audit rows, exports)
   * takes FOR KEY SHARE on its row, which only FOR UPDATE blocks.
   */
  async lockCommunitiesDue(
    intervalSeconds: number,
    limit: number,
  ): Promise<{ communityId: string; currencyIds: string[] }[]> {
    const rows = await this.query(
      `SELECT c.id, array(SELECT cur.id::text FROM currencies cur WHERE cur.community_id = c.id) AS currency_ids FROM communities c
        WHERE NOT EXISTS (SELECT 1 FROM verification_runs v WHERE v.community_id = c.id AND v.trigger = 'scheduled'
                             AND v.started_at > now() - make_interval(secs => $1))
        ORDER BY c.id LIMIT $2 FOR NO KEY UPDATE OF c SKIP LOCKED`,
      [intervalSeconds, limit],
    );
    return rows.map((row) => ({ communityId: row.id as string, currencyIds: row.currency_ids as string[] }));
  }
}
