import { resolve } from 'node:path';
import pg from 'pg';
import { AppConfig, redactSecrets } from '../../libs/config/app-config.js';
import { EmbeddedPostgres } from '../../libs/database/embedded-postgres.js';
import { CommandError } from './command.js';

/** The database a command works on, said in words, and how to let it go. */
export interface CommandDatabase {
  url: string;
  /** For the operator: which database this is, never its password. */
  description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Initialise a new embedded PostgreSQL when DATA_DIR holds none; otherwise refuse. */
  create: boolean;
}

/**
 * The database a command-line tool should use: DATABASE_URL; or the embedded PostgreSQL under
 * DATA_DIR, reached where a running server already runs it (the port and password it recorded),
 * else started for the command and stopped after. A missing embedded database is created only
 * when asked: a tool run from the wrong directory, or without the server's DATABASE_URL, would
 * otherwise quietly work on a new, empty database.
 */
export async function openCommandDatabase(config: AppConfig, options: OpenOptions): Promise<CommandDatabase> {
  if (!config.usesEmbeddedDatabase) {
    const url = config.databaseUrl!;
    await assertReachable(url);
    return { url, description: `the PostgreSQL of DATABASE_URL (${redactSecrets(url)})`, close: async () => undefined };
  }
  const dataDir = resolve(config.dataDir);
  const embedded = new EmbeddedPostgres({ dataDir, preferredPort: config.embeddedPgPort });
  if (!embedded.initialised && !options.create) {
    throw new CommandError(
      `DATABASE_URL is unset and ${dataDir} holds no embedded database: set DATABASE_URL, or DATA_DIR to the server's, or pass --create to create a new one there`,
    );
  }
  const running = embedded.runningUrl();
  if (running) {
    await assertReachable(running);
    return {
      url: running,
      description: `the embedded PostgreSQL of the running server under ${dataDir} (port ${embedded.port})`,
      close: async () => undefined,
    };
  }
  const url = await embedded.start();
  return {
    url,
    description: `the embedded PostgreSQL under ${dataDir} (port ${embedded.port})`,
    close: () => embedded.stop(),
  };
}

/** One connection first, so that an unreachable server is one plain line rather than a driver's retry loop. */
async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new CommandError(`cannot connect to ${redactSecrets(url)}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
