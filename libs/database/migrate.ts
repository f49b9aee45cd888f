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

export interface MigrationStatus {
  /** In the order they were applied, as the migrations table records them. */
  applied: string[];
  /** Known to this version and not applied yet, in the order they would run. */
  pending: string[];
}

/** What `runMigrations` would find done and still to do; reads only. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ exists }] = await dataSource.query<{ exists: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ]);
  const applied: string[] = exists
    ? (await dataSource.query<{ name: string }[]>(`SELECT name FROM "${table}" ORDER BY id`)).map((row) => row.name)
    : [];
  const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  return { applied, pending: known.filter((name) => !applied.includes(name)) };
}
