import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '../../libs/config/app-config.js';
import { runMigrations } from '../../libs/database/migrate.js';
import { createDataSource } from '../data-source.js';
import { startDatabase } from '../database.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
async function main(): Promise<void> {
  const logger = new Logger('Migrate');
  const { config, embedded } = await startDatabase(loadConfigOrExit());
  const dataSource = createDataSource(config.databaseUrl!, 2);
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    logger.log(applied.length ? `Applied ${applied.map((migration) => migration.name).join(', ')}` : 'Nothing to apply: the schema is current');
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

await main();
