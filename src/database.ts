import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AppConfig } from '../libs/config/app-config.js';
import { EmbeddedPostgres } from '../libs/database/embedded-postgres.js';
import { ensureServiceLogin } from '../libs/database/service-role.js';

const logger = new Logger('EmbeddedPostgres');

/**
 * With DATABASE_URL, nothing to start. Without it, the embedded PostgreSQL under DATA_DIR is
 * started and the returned config points at it: the service logs in as a member of the service
 * role, migrations run as the superuser that owns the tables. The caller stops it after the server.
 */
export async function startDatabase(config: AppConfig): Promise<{ config: AppConfig; embedded?: EmbeddedPostgres }> {
  if (!config.usesEmbeddedDatabase) return { config };
  const embedded = new EmbeddedPostgres({
    dataDir: resolve(config.dataDir),
    preferredPort: config.embeddedPgPort,
    log: (line) => logger.debug(line),
  });
  const ownerUrl = await embedded.start();
  // A new password at every start: only this process needs it, and it is never written down.
  const serviceUrl = await ensureServiceLogin(ownerUrl, randomBytes(18).toString('base64url'));
  logger.log(`Embedded PostgreSQL is running under ${resolve(config.dataDir)}`);
  return { config: config.withDatabaseUrl(serviceUrl, ownerUrl), embedded };
}
