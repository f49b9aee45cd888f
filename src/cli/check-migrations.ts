import 'reflect-metadata';
import { createDataSource } from '../data-source.js';
import { withScratchDatabase } from '../../libs/database/scratch-database.js';

/**
 * CI check: apply every migration to an empty database, then ask TypeORM what it would still
 * change to match the entities. Any pending statement means entities and migrations disagree.
 */
async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL must point at a PostgreSQL server where a scratch database may be created');
  const pending = await withScratchDatabase(adminUrl, 'pumasi_schema_check', async (url) => {
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return sql.upQueries.map((query) => `${query.query};`);
    } finally {
      await dataSource.destroy();
    }
  });
  if (pending.length > 0) {
    console.error(`Entities and migrations disagree; the entities would still need:\n${pending.join('\n')}`);
    process.exit(1);
  }
  console.log('Migrations match the entities.');
}

await main();
