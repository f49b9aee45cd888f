import { cloneTemplate, disconnectAll } from '../support/test-database.js';

/**
 * Every test file runs on a database of its own, cloned from the run's migrated template before its
 * first hook, and left without connections after its last (global teardown drops it): files running
 * side by side never see one another's rows, locks or invariant breaks. testDatabaseUrl() names it.
 * Unit specs (*.spec.ts) touch no database.
 */
if (!expect.getState().testPath?.endsWith('.spec.ts')) {
  beforeAll(async () => {
    process.env.PUMASI_TEST_DATABASE_URL = await cloneTemplate();
  });
  afterAll(async () => {
    const url = process.env.PUMASI_TEST_DATABASE_URL;
    if (url) await disconnectAll(url);
  });
}
