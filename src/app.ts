import { ConsoleLogger, INestApplication, LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppConfig, LogLevel } from '../libs/config/app-config.js';
import { runMigrations } from '../libs/database/migrate.js';
import { corsMiddleware } from '../libs/http/cors.js';
import { InFlightRequests } from '../libs/http/in-flight-requests.js';
import { requestTimeout } from '../libs/http/request-timeout.js';
import { jsonBodyParser, malformedBodyHandler } from '../libs/http/json-body.js';
import { AppModule, AppModuleOptions } from './app.module.js';
import { browserOrigins } from './browser-origins.js';
import { createDataSource } from './data-source.js';
import { mountOAuth } from './oauth/oauth-http.js';

const NEST_LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL names the quietest level still shown; Nest calls "info" "log". */
function nestLogLevels(level: LogLevel): NestLogLevel[] {
  const threshold = NEST_LEVELS.indexOf(level === 'info' ? 'log' : level);
  return NEST_LEVELS.slice(0, threshold + 1);
}

export function createLogger(config: AppConfig): ConsoleLogger {
  return new ConsoleLogger('Pumasi', {
    logLevels: nestLogLevels(config.logLevel),
    json: config.nodeEnv === 'production',
  });
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

/**
 * Builds the application exactly as `npm start` runs it (tests use this too), migrated and
 * ready to listen.
 */
export async function createApp(config: AppConfig, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    logger: createLogger(config),
  });
  // Counted from the first middleware on, so that a stopping server waits for every request it took.
  app.use(app.get(InFlightRequests).middleware, requestTimeout(config.resilience.requestTimeoutMs));
  // CORS first: a preflight is answered before any body is read, the OAuth endpoints' included.
  app.use(corsMiddleware(browserOrigins(config, () => app.get(DataSource))));
  mountOAuth(app);
  app.use(jsonBodyParser(), malformedBodyHandler);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  if (config.migrateOnStart) await migrate(config.databaseUrl!);
  await app.init();
  return app;
}
