import { Client } from 'pg';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { testDatabaseUrl, TestServices } from '../support/test-app.js';
import { startTestServices } from '../support/test-services.js';

/** Sets this file's database's default isolation, as an operator might; the service's connections must not follow it. */
async function setDatabaseDefaultIsolation(level: string): Promise<void> {
  const owner = new Client({ connectionString: testDatabaseUrl() });
  await owner.connect();
  try {
    const [{ name }] = (await owner.query('SELECT current_database() AS name')).rows;
    await owner.query(`ALTER DATABASE "${name}" SET default_transaction_isolation = '${level}'`);
  } finally {
    await owner.end();
  }
}

describe('TransactionalConnection', () => {
  let services: TestServices;
  beforeAll(async () => {
    await setDatabaseDefaultIsolation('serializable');
    services = await startTestServices();
  });
  afterAll(async () => {
    await services?.close();
    await setDatabaseDefaultIsolation('read committed');
  });

  // The level is not named on each transaction (a round trip); the pool's connections carry it (data-source.ts).
  it('runs READ COMMITTED transactions even on a database whose default is SERIALIZABLE', async () => {
    const db = services.app.get(TransactionalConnection);
    const isolation = await db.transaction(async () => {
      const [row] = await db.manager.query('SHOW transaction_isolation');
      return row.transaction_isolation as string;
    });
    expect(isolation).toBe('read committed');
  });
});
