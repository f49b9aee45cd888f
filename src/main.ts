import 'reflect-metadata';
import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { loadConfigOrExit, redactSecrets } from '../libs/config/app-config.js';
import { InFlightRequests } from '../libs/http/in-flight-requests.js';
import { WEB_APP_PATH, webAppBuilt } from '../libs/http/web-app.js';
import { EmbeddedPostgres, EmbeddedPostgresError } from '../libs/database/embedded-postgres.js';
import { startDatabase } from './database.js';
import { createApp, createLogger, PrivilegedDatabaseUserError } from './app.js';
import { ExchangesService } from './exchanges/exchanges.service.js';
import { ListingsService } from './listings/listings.service.js';
import { CommunitiesService } from './communities/communities.service.js';
import { MembersService } from './members/members.service.js';
import { seedDemoCommunity } from './seed/demo-community.js';
import { SubscriptionServer } from './subscription-server.js';

const logger = new Logger('Main');

/**
 * Server first, database second: new requests are refused at once, those in flight (a download
 * included) have SHUTDOWN_GRACE_MS to finish, then the server and its database stop.
 */
function stopOnSignals(app: INestApplication, graceMs: number, embedded?: EmbeddedPostgres): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: stopping`);
    try {
      // Subscription sockets first: they would hold the server open, and their clients resume elsewhere.
      await app.get(SubscriptionServer).close();
      const inFlight = app.get(InFlightRequests);
      if (!(await inFlight.drain(app.getHttpServer() as Server, graceMs)))
        logger.warn(`${inFlight.inFlight} request(s) still running after ${graceMs} ms: they are cut`);
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      logger.error(error instanceof Error ? error.stack : String(error));
      process.exit(1);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
}

async function main(): Promise<void> {
  const settings = loadConfigOrExit();
  Logger.overrideLogger(createLogger(settings));
  const { config, embedded } = await startDatabase(settings);
  let app: INestApplication | undefined;
  try {
    app = await createApp(config);
    stopOnSignals(app, config.resilience.shutdownGraceMs, embedded);
    if (config.seedDemo) {
      await seedDemoCommunity(
        {
          communities: app.get(CommunitiesService),
          members: app.get(MembersService),
          listings: app.get(ListingsService),
          exchanges: app.get(ExchangesService),
        },
        { production: config.nodeEnv === 'production', dataDir: config.dataDir },
      );
    }
    await app.listen(config.port);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const explorer = config.graphqlExplorer ? ' (open it in a browser to explore)' : '';
  const web = webAppBuilt() ? `, the web app at http://localhost:${config.port}${WEB_APP_PATH}/` : '';
  logger.log(
    `Pumasi is serving GraphQL at http://localhost:${config.port}/graphql${explorer}${web} and health at /health`,
  );
}

main().catch((error: unknown) => {
  // An expected condition is its message alone; a driver's error may quote the connection string it was given.
  const report =
    error instanceof EmbeddedPostgresError || error instanceof PrivilegedDatabaseUserError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  logger.error(redactSecrets(report));
  process.exit(1);
});
