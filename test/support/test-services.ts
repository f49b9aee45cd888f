import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../libs/config/app-config.js';
import type { Actor } from '../../src/access/actor.js';
import { createLogger } from '../../src/app.js';
import { AppModule } from '../../src/app.module.js';
import { expectLedgerInvariants, servicesOf, testDatabaseUrl, TestServices, testSettings } from './test-app.js';

/**
 * The application without HTTP (a Nest application context on this file's database): for tests of
 * what services and background jobs do, where a request would add nothing but time. `settings` are
 * environment variables over the tests' own, such as BACKGROUND_JOBS=on.
 */
export async function startTestServices(poolSize = 4, settings: Record<string, string> = {}): Promise<TestServices> {
  const config = loadConfig({ ...testSettings(testDatabaseUrl(), poolSize), ...settings });
  const logger = createLogger(config);
  return servicesOf(await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger }));
}

/**
 * For a describe block, as useTestApp is: the services before its tests, the ledger's invariants
 * checked after each one, closed at the end. The returned object is filled in by beforeAll.
 */
export function useTestServices(poolSize?: number): TestServices {
  const services = {} as TestServices;
  beforeAll(async () => {
    Object.assign(services, await startTestServices(poolSize));
  });
  afterEach(async () => expectLedgerInvariants(services.dataSource));
  afterAll(async () => services.close?.());
  return services;
}

/** Who holds this access token, as a request carrying it would be seen. */
export function actorOf(t: TestServices, token: string): Promise<Actor> {
  return t.identity.authenticate({ authorization: `Bearer ${token}` });
}
