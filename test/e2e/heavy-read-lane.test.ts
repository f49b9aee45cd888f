import { HeavyReads } from '../../libs/database/bulkhead.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { createTransfer, transferInput } from './graphql-client.js';

const LANE = { width: 2, queue: 3 };
const BALANCE_REPORT =
  'query Report($communityId: ID!) { balanceReport(communityId: $communityId) { currencies { balanced } } }';
const STATEMENT = 'query Statement($accountId: ID!) { accountStatement(accountId: $accountId) { closingBalance } }';
const STATEMENT_PAGE = `query Page($accountId: ID!, $from: DateTime) {
  account(id: $accountId) { statement(first: 50, from: $from) { edges { node { amount balanceAfter } } } }
}`;

/** Waits (without a clock) until the lane shows what the test set up. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((tick) => setImmediate(tick));
}

async function status(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/**
 * Heavy reads (reports, statements, statistics, risk signals) run in a lane of their own, a few at
 * a time: however many are asked at once, payments keep the rest of the pool, and readiness tells
 * the truth about the database. The lane is held busy by the test itself, on real connections, so
 * that what is asserted is counts and outcomes, never durations.
 */
describe('the heavy-read lane', () => {
  const t = useTestApp({
    poolSize: 5,
    env: {
      HEAVY_READ_CONCURRENCY: String(LANE.width),
      HEAVY_READ_QUEUE: String(LANE.queue),
      REQUEST_TIMEOUT_MS: '0',
    },
  });
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 1000n }, {}]);
    coordinator = fixture.asCoordinator();
  });

  it('keeps payments and readiness going while reports fill it, queues a few more and refuses the rest at once', async () => {
    const lane = t.app.get(HeavyReads);
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    // Two long reports, each on a real connection of the pool, until the test lets them go.
    const occupying = Array.from({ length: LANE.width }, () =>
      lane.run(async () => {
        const runner = t.dataSource.createQueryRunner();
        await runner.connect();
        try {
          await runner.query('SELECT 1');
          await released;
        } finally {
          await runner.release();
        }
      }),
    );
    await until(() => lane.load.running === LANE.width);

    const queued = [
      ...Array.from({ length: LANE.queue - 1 }, () =>
        coordinator.graphql(BALANCE_REPORT, { communityId: fixture.community.id }),
      ),
      fixture.as(fixture.members[0]).graphql(STATEMENT, { accountId: fixture.members[0].id }),
    ];
    await until(() => lane.load.waiting === LANE.queue);
    const refused = await Promise.all(
      Array.from({ length: 4 }, () => coordinator.graphql(BALANCE_REPORT, { communityId: fixture.community.id })),
    );
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 503, errors: [{ extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] });
      expect(answer.errors![0].message).toMatch(/Too many reports/);
    }

    // Meanwhile payments go through one after another, and readiness says the database is fine.
    const payer = fixture.as(fixture.members[0]);
    const payments = [];
    for (let index = 0; index < 10; index++)
      payments.push(await createTransfer(payer, transferInput(fixture.members[0].id, fixture.members[1].id, 1)));
    expect(payments.filter((payment) => payment.transfer && payment.userErrors.length === 0)).toHaveLength(10);
    expect(await status(`${t.url}/health/ready`)).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ok', info: { database: { status: 'up' } } }),
    });
    expect(lane.load).toEqual({ running: LANE.width, waiting: LANE.queue });

    release();
    await Promise.all(occupying);
    const answers = await Promise.all(queued);
    expect(answers.map((answer) => ({ status: answer.status, errors: answer.errors }))).toEqual(
      queued.map(() => ({ status: 200, errors: undefined })),
    );
    expect(answers.at(-1)!.data).toEqual({ accountStatement: { closingBalance: String(1000 - 10) } });
    expect(lane.load).toEqual({ running: 0, waiting: 0 });
  });

  it("serves a page of an account's statement beside a full lane, and queues one with dates in it", async () => {
    const lane = t.app.get(HeavyReads);
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const occupying = Array.from({ length: LANE.width }, () => lane.run(() => released));
    await until(() => lane.load.running === LANE.width);
    const holder = fixture.as(fixture.members[0]);
    const page = (from?: string) => holder.graphql(STATEMENT_PAGE, { accountId: fixture.members[0].id, from });

    const dated = page('2000-01-01T00:00:00Z');
    await until(() => lane.load.waiting === 1);
    const latest = await page();
    expect(latest.errors).toBeUndefined();
    expect(lane.load).toEqual({ running: LANE.width, waiting: 1 });

    release();
    await Promise.all(occupying);
    expect(await dated).toMatchObject({ status: 200, data: latest.data });
  });

  it('answers /health/live without asking the database, and /health as /health/ready', async () => {
    expect(await status(`${t.url}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await status(`${t.url}/health`)).toEqual(await status(`${t.url}/health/ready`));
  });
});
