import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfig } from '../libs/config/app-config.js';
import { EmbeddedPostgres } from '../libs/database/embedded-postgres.js';

const logger = new Logger('EmbeddedPostgres');

/**
 * With DATABASE_URL, nothing to start. Without it, the embedded PostgreSQL under DATA_DIR is
 * started and the returned config points at it; the caller stops it after the server.
 */
export async function startDatabase(config: AppConfig): Promise<{ config: AppConfig; embedded?: EmbeddedPostgres }> {
  if (!config.usesEmbeddedDatabase) return { config };
  const embedded = new EmbeddedPostgres({
    dataDir: resolve(config.dataDir),
    preferredPort: config.embeddedPgPort,
    log: (line) => logger.debug(line),
  });
  const url = await embedded.start();
  logger.log(`Embedded PostgreSQL is running under ${resolve(config.dataDir)}`);
  return { config: config.withDatabaseUrl(url), embedded };
}
