import { DataSource } from 'typeorm';
import { PgErrorCode, pgErrorCode } from '../../libs/database/pg-errors.js';

/**
 * The error a `TRUNCATE table CASCADE` ends with (undefined when it succeeds), for tests that an
 * append-only table refuses it. TRUNCATE takes exclusive locks on every table it cascades to before
 * its trigger can refuse. Beside other test files' writers it must neither wait long nor make them
 * lose a deadlock, so it gives up its locks after 50 ms and tries again.
 */
export async function truncateError(dataSource: DataSource, table: string): Promise<unknown> {
  const busy: string[] = [PgErrorCode.deadlockDetected, PgErrorCode.lockNotAvailable];
  for (let attempt = 1; ; attempt++) {
    try {
      await dataSource.transaction(async (manager) => {
        await manager.query("SET LOCAL lock_timeout = '50ms'");
        await manager.query(`TRUNCATE ${table} CASCADE`);
      });
      return undefined;
    } catch (error) {
      if (!busy.includes(pgErrorCode(error) ?? '') || attempt === 100) return error;
    }
  }
}
