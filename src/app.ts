import { ConsoleLogger, INestApplication, LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppConfig, LogLevel } from '../libs/config/app-config.js';
import { runMigrations } from '../libs/database/migrate.js';
import { corsMiddleware } from '../libs/http/cors.js';
import { jsonBodyParser, malformedBodyHandler } from '../libs/http/json-body.js';
import { AppModule, AppModuleOptions } from './app.module.js';
import { browserOrigins } from './browser-origins.js';
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

/**
 * Builds the application exactly as `npm start` runs it (tests use this too), migrated and
 * ready to listen.
 */
export async function createApp(config: AppConfig, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    logger: createLogger(config),
  });
  // CORS first: a preflight is answered before any body is read, the OAuth endpoints' included.
  app.use(corsMiddleware(browserOrigins(config, () => app.get(DataSource))));
  mountOAuth(app);
  app.use(jsonBodyParser(), malformedBodyHandler);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  if (config.migrateOnStart) await runMigrations(app.get(DataSource));
  await app.init();
  return app;
}
