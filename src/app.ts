import type { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../libs/config/app-config.js';
import { runMigrations } from '../libs/database/migrate.js';
import { excessPrivileges, SERVICE_ROLE } from '../libs/database/service-role.js';
import { graphiqlAssets } from '../libs/graphql/graphiql.js';
import { corsMiddleware } from '../libs/http/cors.js';
import { InFlightRequests } from '../libs/http/in-flight-requests.js';
import { requestTimeout } from '../libs/http/request-timeout.js';
import { jsonBodyParser, malformedBodyHandler } from '../libs/http/json-body.js';
import { metricsEndpoint } from '../libs/http/metrics-endpoint.js';
import { securityHeaders } from '../libs/http/security-headers.js';
import { webApp } from '../libs/http/web-app.js';
import { createRootLogger, PinoNestLogger, requestLogging } from '../libs/observability/logging.js';
import { Metrics } from '../libs/observability/metrics.js';
import { AppModule, AppModuleOptions } from './app.module.js';
import { browserOrigins } from './browser-origins.js';
import { createDataSource } from './data-source.js';
import { mountOAuth } from './oauth/oauth-http.js';

/** LOG_LEVEL's threshold; JSON lines in production, readable lines otherwise. */
function rootLogger(config: AppConfig, destination?: DestinationStream): PinoLogger {
  return createRootLogger({ level: config.logLevel, json: config.nodeEnv === 'production', destination });
}

/** What every `new Logger(context)` of the code writes to, before an application exists (main's start-up). */
export function createLogger(config: AppConfig): PinoNestLogger {
  return new PinoNestLogger(rootLogger(config));
}

export interface CreateAppOptions extends AppModuleOptions {
  /** Where the log lines go instead of standard output: a test reads them there. */
  logDestination?: DestinationStream;
  /**
   * False for an operator's one-off command (create-admin), which may run as the owner: the refusal
   * of a privileged role guards the long-running service, which faces the network.
   */
  refusePrivilegedDatabaseUser?: boolean;
}

/** On connections of their own, free of the request timeouts: a migration may rightly run for minutes. */
async function migrate(databaseUrl: string): Promise<void> {
  const dataSource = await createDataSource(databaseUrl, 2).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export class PrivilegedDatabaseUserError extends Error {}

/** The service must not be able to rewrite history or the rules that guard it (docs/operations.md, "Database roles"). */
async function refuseExcessPrivileges(dataSource: DataSource): Promise<void> {
  const excess = await excessPrivileges((sql) => dataSource.query(sql));
  if (excess.length === 0) return;
  throw new PrivilegedDatabaseUserError(
    `Refusing to start: DATABASE_URL's role has more privileges than the service needs (${excess.join('; ')}). ` +
      `Connect as a member of ${SERVICE_ROLE} and run migrations with MIGRATION_DATABASE_URL (docs/operations.md, "Database roles"), ` +
      'or set ALLOW_PRIVILEGED_DATABASE_USER=true to accept the risk.',
  );
}

/**
 * Builds the application exactly as `npm start` runs it (tests use this too), migrated and
 * ready to listen.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logger = rootLogger(config, options.logDestination);
  // As the tables' owner, before the service's own connections open: they may need what a migration grants.
  if (config.migrateOnStart) await migrate(config.migrationDatabaseUrl ?? config.databaseUrl!);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  // First: every request gets its id and its logger, whatever answers it.
  app.use(requestLogging(logger));
  // Counted from here on, so that a stopping server waits for every request it took.
  app.use(app.get(InFlightRequests).middleware, requestTimeout(config.resilience.requestTimeoutMs));
  app.use(securityHeaders());
  app.use(metricsEndpoint(app.get(Metrics), config.metricsToken));
  // CORS next: a preflight is answered before any body is read, the OAuth endpoints' included.
  app.use(corsMiddleware(browserOrigins(config, () => app.get(DataSource))));
  mountOAuth(app);
  if (config.graphqlExplorer) app.use(graphiqlAssets());
  app.use(webApp());
  app.use(jsonBodyParser(), malformedBodyHandler);
  app.disable('x-powered-by');
  // Express would hash every answer it sends for an ETag; GraphQL answers are `no-store` and POSTs
  // are never revalidated, so none is made. Files keep theirs (the setting stays on for sendFile,
  // which serves the web app's index.html; express.static has its own).
  app.set('etag', () => undefined);
  app.set('trust proxy', config.trustProxy);
  const checkRole = options.connectDatabase !== false && options.refusePrivilegedDatabaseUser !== false;
  if (checkRole && !config.allowPrivilegedDatabaseUser) {
    await refuseExcessPrivileges(app.get(DataSource)).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  }
  await app.init();
  keepConnectionsAlive(app.getHttpServer(), config.resilience.keepAliveTimeoutMs);
  return app;
}

/** Node's 5 s default closes idle connections under clients and proxies that still count on them. */
function keepConnectionsAlive(server: Server, keepAliveTimeoutMs: number): void {
  server.keepAliveTimeout = keepAliveTimeoutMs;
}
