import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../libs/database/embedded-postgres.js';
import { globalId } from '../support/global-ids.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { openSocket, Received, SubscriptionSocket } from '../support/subscription-client.js';
import { testDatabaseUrl, useTestApp } from '../support/test-app.js';
import type { TestApp } from '../support/test-app.js';
import { serviceUrlOf } from '../support/test-database.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { gql } from './graphql-client.js';

/** The replicas serve /metrics to this token: the test reads how many subscriptions one has open. */
const METRICS_TOKEN = `replicas-${randomUUID()}`;

/** A replica: `node dist/src/main.js` in its own process group, relaying events as in production. */
interface Replica {
  url: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: serviceUrlOf(testDatabaseUrl()),
      PORT: String(port),
      MIGRATE_ON_START: 'false',
      BACKGROUND_JOBS: 'on',
      SEED_DEMO: 'false',
      // The receiver listens on 127.0.0.1; its first failures (none expected) are retried within a second.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
      // A sender killed mid-delivery holds its endpoint's lease until it lapses (this + 30 s).
      WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'error',
      METRICS_TOKEN,
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the replica exited before it served');
    if (
      await fetch(`${url}/health/live`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return { url, child, exited };
    await sleep(100);
  }
}

/** The subscriptions open on `replica`, from its pumasi_subscriptions_open gauge. */
async function subscriptionsOpen(replica: Replica): Promise<number> {
  const response = await fetch(`${replica.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const gauge = /^pumasi_subscriptions_open (\d+)$/m.exec(await response.text());
  return Number(gauge?.[1] ?? 0);
}

/** kill -9 of the replica's process group; nothing if it is gone already (killed by a signal, its exitCode stays null). */
async function kill(replica: Replica): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  process.kill(-replica.child.pid!, 'SIGKILL');
  await replica.exited;
}

const COMMUNITY_EVENTS = `subscription Transfers($communityId: ID!) {
  communityEvents(communityId: $communityId, types: ["transfer.posted"]) { id position subjectId }
}`;

const CREATE_TRANSFER = `mutation Pay($input: CreateTransferInput!) {
  createTransfer(input: $input) { transfer { id } userErrors { code } }
}`;

/** A payment over HTTP on `replica`; its transfer's global id, or null when the replica died under it (its outcome unknown). */
async function payOn(replica: Replica, token: string, input: Record<string, unknown>): Promise<string | null> {
  try {
    const response = await fetch(`${replica.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE_TRANSFER, variables: { input } }),
    });
    const body = (await response.json()) as { data?: { createTransfer: { transfer: { id: string } | null } } };
    return body.data?.createTransfer.transfer?.id ?? null;
  } catch {
    return null;
  }
}

const TRANSFERS = 40;

/** A partner's webhook receiver on 127.0.0.1: the event ids (webhook-id) and envelopes of every delivery, in arrival order. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  deliveries: { id: string; subjectId: string }[];
}> {
  const deliveries: { id: string; subjectId: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const envelope = JSON.parse(Buffer.concat(chunks).toString()) as { subjectId: string };
      deliveries.push({ id: String(request.headers['webhook-id']), subjectId: envelope.subjectId });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pumasi`, deliveries };
}

const CREATE_ENDPOINT = `mutation Endpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { webhookEndpoint { id } userErrors { code } }
}`;

/**
 * Issue 12, across replicas: two server processes on one database. A subscriber on A, and a partner
 * app's webhook receiver, see every transfer made on B, each once by id, in order, and go on doing
 * so across a kill -9 of B (whose relay was publishing, and whose worker was sending) and its
 * restart; transfers whose answer was lost are retried with their key.
 */
function describeReplicas(name: string, env: Record<string, string>): void {
  describe(name, () => {
    const t: TestApp = useTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
    let fixture: LedgerFixture;
    const replicas: Replica[] = [];
    let socket: SubscriptionSocket | undefined;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{ balance: 10_000n }, { balance: 0n }]);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await socket?.dispose();
      for (const replica of replicas) await kill(replica);
      await new Promise((closed) => receiver.server.close(closed));
    });

    it('a subscriber on A and a webhook receiver see every transfer made on B once by id, in order, across kill -9 of B and its restart', async () => {
      const a = await startReplica(env);
      let b = await startReplica(env);
      replicas.push(a, b);
      const communityId = globalId('Community', fixture.community.id);
      const partner = await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Webhooks');
      const endpoint = await gql<{ createWebhookEndpoint: { userErrors: unknown[] } }>(
        asPartner(t, partner.apiKey),
        CREATE_ENDPOINT,
        { input: { url: receiver.url, types: ['transfer.posted'] } },
      );
      expect(endpoint.createWebhookEndpoint.userErrors).toEqual([]);
      socket = openSocket(a.url, { authorization: `Bearer ${fixture.coordinator.token}` });
      await socket.connected;
      const seen = new Received<{ communityEvents: { id: string; position: string; subjectId: string } }>(
        socket,
        COMMUNITY_EVENTS,
        { communityId: globalId('Community', fixture.community.id) },
      );
      // Every transfer made once A has the subscription open is live for it.
      await waitUntil('the subscription on A is open', async () => {
        if (seen.errors.length > 0) throw new Error(`the subscription failed: ${JSON.stringify(seen.errors)}`);
        return (await subscriptionsOpen(a)) === 1;
      });
      const payer = fixture.holders[0];
      const inputs = Array.from({ length: TRANSFERS }, (_, index) => ({
        idempotencyKey: `replicas-${randomUUID()}`,
        debitAccountId: globalId('Account', fixture.members[0].id),
        creditAccountId: globalId('Account', fixture.members[1].id),
        amount: String(index + 1),
      }));

      const lost: Record<string, unknown>[] = [];
      const half = Math.floor(inputs.length / 2);
      let inFlight: Promise<unknown> = Promise.resolve();
      for (const [index, input] of inputs.entries()) {
        if (index === half) {
          await kill(b);
          b = await startReplica(env);
          replicas.push(b);
          await inFlight;
        }
        // One is in flight when B dies: its answer is lost, not (necessarily) its transfer.
        if (index === half - 1) inFlight = payOn(b, payer.token, input).then((id) => id ?? lost.push(input));
        else if ((await payOn(b, payer.token, input)) === null) lost.push(input);
      }
      // Retried with their keys: each is written once, whether or not the first try was.
      for (const input of lost) expect(await payOn(b, payer.token, input)).not.toBeNull();

      const committed = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM transfers WHERE debit_account_id = $1 ORDER BY id`,
        [fixture.members[0].id],
      );
      expect(committed).toHaveLength(TRANSFERS);
      await waitUntil(`A's subscriber has all ${TRANSFERS} transfers`, () =>
        Promise.resolve(seen.data.length >= TRANSFERS),
      );
      // B may have died holding the endpoint's lease: the deliveries go on once it lapses (32 s at most).
      await waitUntil(
        `the webhook receiver has all ${TRANSFERS} transfers`,
        () => Promise.resolve(new Set(receiver.deliveries.map((delivery) => delivery.id)).size >= TRANSFERS),
        50_000,
      );
      await sleep(500);
      const received = seen.data.map((result) => result.communityEvents);
      expect(received.map((event) => event.subjectId).sort()).toEqual(
        committed.map((row) => globalId('Transfer', row.id)).sort(),
      );
      const positions = received.map((event) => BigInt(event.position));
      expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
      expect(seen.errors).toEqual([]);

      // At least once: a delivery cut by the kill may come again, under the same id, never another.
      const byId = new Map(receiver.deliveries.map((delivery) => [delivery.id, delivery.subjectId]));
      expect([...byId.keys()].sort()).toEqual(received.map((event) => event.id).sort());
      expect([...byId.values()].sort()).toEqual(received.map((event) => event.subjectId).sort());
      const firstArrivals = [...new Set(receiver.deliveries.map((delivery) => delivery.id))];
      expect(firstArrivals).toEqual(received.map((event) => event.id));
    });
  });
}

describeReplicas('two replicas told through PostgreSQL LISTEN/NOTIFY', {});
const natsUrl = process.env.NATS_URL;
if (natsUrl) describeReplicas('two replicas told through NATS JetStream', { NATS_URL: natsUrl });
else
  describe.skip('two replicas told through NATS JetStream (set NATS_URL to run them)', () =>
    it('needs NATS_URL', () => undefined));
