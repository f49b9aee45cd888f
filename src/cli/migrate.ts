import 'reflect-metadata';
import { loadConfig } from '../../libs/config/app-config.js';
import { migrationStatus, runMigrations } from '../../libs/database/migrate.js';
import { createDataSource } from '../data-source.js';
import { parseCommandLine, runCommand } from './command.js';
import { openCommandDatabase } from './command-database.js';
import { DATABASE_ENVIRONMENT } from './environment.js';

const COMMAND = {
  invocation: 'npm run migrate --',
  summary:
    "Applies the pending migrations to the service's database and exits; with --status, only lists what is applied and what is pending.",
  options: {
    status: { type: 'boolean', description: 'List applied and pending migrations; change nothing.' },
    create: {
      type: 'boolean',
      description:
        'Without DATABASE_URL, create the embedded database under DATA_DIR if it holds none (refused otherwise).',
    },
  },
  environment: {
    ...DATABASE_ENVIRONMENT,
    MIGRATION_DATABASE_URL:
      "postgres:// URL as the tables' owner, where DATABASE_URL is the service's role; used instead of it.",
  },
} as const;

const list = (names: string[]): string => (names.length ? names.map((name) => `\n  ${name}`).join('') : ' none');

async function main(): Promise<void> {
  const options = parseCommandLine(COMMAND);
  const config = loadConfig();
  // Migrations are the owner's work; the service's role may not change the schema.
  const owner = config.migrationDatabaseUrl ? config.withDatabaseUrl(config.migrationDatabaseUrl) : config;
  const database = await openCommandDatabase(owner, { create: options.create ?? false });
  const dataSource = createDataSource(database.url, 2);
  try {
    console.log(`Database: ${database.description}`);
    await dataSource.initialize();
    if (options.status) {
      const { applied, pending } = await migrationStatus(dataSource);
      console.log(`Applied (${applied.length}):${list(applied)}\nPending (${pending.length}):${list(pending)}`);
      return;
    }
    const applied = await runMigrations(dataSource);
    console.log(
      applied.length
        ? `Applied:${list(applied.map((migration) => migration.name))}`
        : 'Nothing to apply: the schema is current.',
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}

await runCommand('migrate', main);
