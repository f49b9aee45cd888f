import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';

/** One counter to take a hit on: its key, how many hits its window allows, and how long a window lasts. */
export interface Counter {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** The rate-limit counters in PostgreSQL; see rate_limit_take in the identity-hardening migration. */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly db: TransactionalConnection) {}

  /** One hit on every counter, or on none: 0 when taken, else the seconds until a retry can succeed. */
  async take(counters: Counter[]): Promise<number> {
    const [row] = returnedRows(
      await this.db.manager.query('SELECT rate_limit_take($1::text[], $2::integer[], $3::integer[]) AS retry_after', [
        counters.map((counter) => counter.key),
        counters.map((counter) => counter.limit),
        counters.map((counter) => counter.windowSeconds),
      ]),
    );
    return row.retry_after as number;
  }

  /** Gives back one hit on each counter in the current window, and empties the ones in `reset`. */
  async giveBack(keys: string[], reset: string[]): Promise<void> {
    await this.db.manager.query(
      `UPDATE rate_limit_counters SET hits = CASE WHEN key = ANY ($2::text[]) THEN 0 ELSE greatest(hits - 1, 0) END
        WHERE key = ANY ($1::text[]) AND window_ends_at > clock_timestamp()`,
      [keys, reset],
    );
  }
}
