import { DataSource } from 'typeorm';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { rowsForKeys } from '../support/ledger-rows.js';
import { statementOnTheWire, TcpProxy } from '../support/tcp-proxy.js';
import { createDataSource } from '../../src/data-source.js';
import { expectLedgerInvariants, GraphqlClient, startTestApp, TestApp, testDatabaseUrl } from '../support/test-app.js';
import { CREATE_TRANSFER, fetchAccount, transferInput } from './graphql-client.js';

/** Seconds, not the defaults: how long this app waits for its database before it answers 503. */
const FAIL_FAST = { DB_STATEMENT_TIMEOUT_MS: '1000', DB_ACQUIRE_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '3000' };
const ACCOUNT = 'query Account($id: ID!) { account(id: $id) { id balance } }';
/** The statement that writes transfers: where a test stalls or cuts a payment (read once the app has marked its statements). */
const transferStatement = (): RegExp => statementOnTheWire(/ledger_create_transfers/);

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(client: GraphqlClient, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${client.url}/graphql`, {
    method: 'POST',
    headers: { ...client.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}

/** Failed as a whole for want of the database: 503, Retry-After, no data, one SERVICE_UNAVAILABLE saying to retry with the key. */
function expectUnavailable(answer: Answer): void {
  expect({ status: answer.status, retryAfter: answer.retryAfter, data: answer.body.data ?? null }).toEqual({
    status: 503,
    retryAfter: '2',
    data: null,
  });
  expect(answer.body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/may or may not have been applied.*same idempotency key/),
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    }),
  ]);
}

/**
 * Real faults between the service and PostgreSQL, through a TCP proxy the test stalls and cuts:
 * the client is told SERVICE_UNAVAILABLE in seconds (never a 500, never INTERNAL_SERVER_ERROR), and
 * its retry with the same idempotency key moves the money exactly once.
 */
describe('when the database stalls or dies', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let fixture: LedgerFixture;
  /** Straight to PostgreSQL, past the proxy: to see what the server did while the service could not. */
  let direct: DataSource;

  beforeAll(async () => {
    const url = new URL(testDatabaseUrl());
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    direct = await createDataSource(url.toString(), 1).initialize();
    const proxied = Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(proxy.port) });
    t = await startTestApp(4, proxied.toString(), FAIL_FAST);
    fixture = await createLedgerFixture(t, [{ balance: 1000n }, {}]);
  });

  afterEach(async () => {
    proxy.resume();
    await expectLedgerInvariants(t.dataSource);
  });

  afterAll(async () => {
    await t?.close();
    await direct?.destroy();
    await proxy?.close();
  });

  const payer = () => fixture.members[0];
  const payee = () => fixture.members[1];
  const asPayer = () => fixture.as(payer());
  const storedUnder = (key: string) => rowsForKeys(direct, [key]);

  /** Pays once more with the same input after the fault: applied (or found applied), and the key holds exactly one transfer. */
  async function expectRetryAppliedOnce(input: ReturnType<typeof transferInput>): Promise<void> {
    const retried = await send(asPayer(), CREATE_TRANSFER, { input });
    expect(retried.status).toBe(200);
    expect(retried.body.data!.createTransfer).toMatchObject({
      transfer: { amount: String(input.amount) },
      userErrors: [],
    });
    expect(await storedUnder(input.idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
  }

  it('stalled: a payment and an authenticated query are answered 503 SERVICE_UNAVAILABLE before the database answers again', async () => {
    const before = await fetchAccount(asPayer(), payer().id);
    const input = transferInput(payer().id, payee().id, 30);
    proxy.stall();
    // Awaited while everything is still held: these answers cannot have come from the database.
    const [payment, query] = await Promise.all([
      send(asPayer(), CREATE_TRANSFER, { input }),
      send(asPayer(), ACCOUNT, { id: payer().id }),
    ]);
    expectUnavailable(payment);
    expectUnavailable(query);

    proxy.resume();
    await expectRetryAppliedOnce(input);
    expect((await fetchAccount(asPayer(), payer().id)).balance).toBe(String(BigInt(before.balance) - 30n));
  });

  it('cut before the token lookup: 503 SERVICE_UNAVAILABLE, not a 500', async () => {
    proxy.cut();
    const input = transferInput(payer().id, payee().id, 5);
    const [payment, query] = await Promise.all([
      send(asPayer(), CREATE_TRANSFER, { input }),
      send(asPayer(), ACCOUNT, { id: payer().id }),
    ]);
    expectUnavailable(payment);
    expectUnavailable(query);

    proxy.resume();
    await expectRetryAppliedOnce(input);
  });

  it('cut at the payment statement, which never ran: SERVICE_UNAVAILABLE, nothing stored, and the retry pays once', async () => {
    const input = transferInput(payer().id, payee().id, 7);
    const trapped = proxy.stallOn('toServer', transferStatement());
    const payment = send(asPayer(), CREATE_TRANSFER, { input });
    await trapped;
    proxy.cut();
    expectUnavailable(await payment);
    expect(await storedUnder(input.idempotencyKey)).toEqual({ transfers: 0, failures: 0 });

    proxy.resume();
    await expectRetryAppliedOnce(input);
  });

  it('cut after the payment ran, its answer lost: SERVICE_UNAVAILABLE (the outcome is unknown), and the retry finds it applied', async () => {
    const input = transferInput(payer().id, payee().id, 11);
    const trapped = proxy.stallOn('toServer', transferStatement(), { forwardMatch: true });
    const payment = send(asPayer(), CREATE_TRANSFER, { input });
    await trapped;
    // The server has the statement and commits it; its answer is what the proxy holds.
    while ((await storedUnder(input.idempotencyKey)).transfers === 0) await new Promise((tick) => setTimeout(tick, 20));
    proxy.cut();
    expectUnavailable(await payment);

    proxy.resume();
    const retried = await send(asPayer(), CREATE_TRANSFER, { input });
    expect(retried.body.data!.createTransfer).toMatchObject({ replayed: true, userErrors: [] });
    expect(await storedUnder(input.idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
  });

  it("down: /health/ready and /health answer 503 without the address or the driver's words; /health/live answers 200", async () => {
    proxy.cut();
    for (const path of ['/health/ready', '/health']) {
      const response = await fetch(`${t.url}${path}`);
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(JSON.parse(text)).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      expect(text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${proxy.port}|postgres|terminated|ECONN`, 'i'));
    }
    const live = await fetch(`${t.url}/health/live`);
    expect({ status: live.status, body: await live.json() }).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
