import 'reflect-metadata';
import { createDataSource } from '../data-source.js';
import { withScratchDatabase } from '../../libs/database/scratch-database.js';
import { CommandError, EXIT, parseCommandLine, runCommand } from './command.js';
import { readSqlDefinitions, SQL_DIR, staleSqlFiles, writeSqlFiles } from './sql-definitions.js';

const COMMAND = {
  invocation: 'npm run migrations:check --',
  summary:
    'CI check: applies every migration to a scratch database and fails (exit 1) when the entities would still need changes, ' +
    'or when sql/ no longer holds the current definition of every SQL function and trigger.',
  options: {
    'write-sql': {
      type: 'boolean',
      description: 'Rewrite sql/ from the migrated database instead of checking it (npm run sql).',
    },
  },
  environment: { DATABASE_URL: 'A PostgreSQL server where a scratch database may be created and dropped (required).' },
} as const;

/**
 * CI check: apply every migration to an empty database, then ask TypeORM what it would still
 * change to match the entities. Any pending statement means entities and migrations disagree.
 */
async function main(): Promise<number> {
  const writeSql = parseCommandLine(COMMAND)['write-sql'] ?? false;
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl)
    throw new CommandError(
      'DATABASE_URL must point at a PostgreSQL server where a scratch database may be created',
      EXIT.config,
    );
  const { pending, definitions } = await withScratchDatabase(adminUrl, 'pumasi_schema_check', async (url) => {
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return {
        pending: sql.upQueries.map((query) => `${query.query};`),
        definitions: await readSqlDefinitions(dataSource),
      };
    } finally {
      await dataSource.destroy();
    }
  });
  if (writeSql) {
    writeSqlFiles(definitions);
    console.log(`Wrote ${definitions.size} files under ${SQL_DIR}/.`);
    return 0;
  }
  if (pending.length > 0) {
    console.error(`Entities and migrations disagree; the entities would still need:\n${pending.join('\n')}`);
    return 1;
  }
  const stale = staleSqlFiles(definitions);
  if (stale.length > 0) {
    console.error(`${SQL_DIR}/ is out of date (${stale.join(', ')}): run \`npm run sql\` and commit the result.`);
    return 1;
  }
  console.log(`Migrations match the entities, and ${SQL_DIR}/ holds the current SQL definitions.`);
  return 0;
}

await runCommand('migrations:check', main);
