import { DataSource, Migration } from 'typeorm';

/** Any constant shared by all replicas: it serialises concurrent migration runs. */
const MIGRATION_LOCK_KEY = 7_300;

/**
 * Applies pending migrations, one replica at a time, each in its own transaction. The lock is held
 * on a connection of its own, so the pool needs at least two.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
