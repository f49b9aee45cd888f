import { DataSource } from 'typeorm';

/**
 * The error a `TRUNCATE table CASCADE` ends with (undefined when it succeeds), for tests that an
 * append-only table refuses it. TRUNCATE takes exclusive locks on every table it cascades to before
 * its trigger can refuse; it waits for nobody, as no one else writes to this file's database.
 */
export async function truncateError(dataSource: DataSource, table: string): Promise<unknown> {
  try {
    await dataSource.query(`TRUNCATE ${table} CASCADE`);
    return undefined;
  } catch (error) {
    return error;
  }
}
