import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';
import { WebhookDeliverySweeper } from '../../src/webhooks/webhook-delivery.sweeper.js';
import { WebhookFanoutSweeper } from '../../src/webhooks/webhook-fanout.sweeper.js';
import { sendWebhook } from '../../src/webhooks/webhook-sender.js';
import { databaseIdOf, globalId } from '../support/global-ids.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { startTestApp, testDatabaseUrl, useTestApp } from '../support/test-app.js';
import type { GraphqlClient, TestApp } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { asPartner, grantPartnerConsent, registerPartnerApp } from './auth-client.js';
import { gql, payloadMutation } from './graphql-client.js';

/** What docs/partners.md tells a receiver to run: the signature, by any of the secrets, over id.timestamp.body, and fresh. */
function verifyWebhook(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = createHmac('sha256', key).update(signed).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(headers['webhook-timestamp'])) < 300;
  return (
    fresh &&
    String(headers['webhook-signature'])
      .split(' ')
      .some((signature) => {
        const given = Buffer.from(signature.slice(3), 'base64');
        return signature.startsWith('v1,') && given.length === expected.length && timingSafeEqual(given, expected);
      })
  );
}

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers: a status, and optionally headers, a body and a delay before it answers at all. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/** A real HTTP receiver on 127.0.0.1 that records each request and answers each path as `answer` says. */
class Receiver {
  readonly received = new Map<string, Received[]>();
  private server: Server;
  answer: (path: string, count: number) => Answer = () => ({ status: 200 });

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const list = this.received.get(path) ?? [];
        list.push({ at: Date.now(), headers: request.headers, body: Buffer.concat(chunks).toString() });
        this.received.set(path, list);
        const {
          status,
          headers,
          body = `answer ${list.length} of ${path}`,
          delayMs = 0,
        } = this.answer(path, list.length);
        setTimeout(() => response.writeHead(status, headers).end(body), delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${(this.server.address() as AddressInfo).port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.get(path) ?? [];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ENDPOINT = 'id url types enabled disabledReason failingSince previousSecretExpiresAt';
const CREATE = payloadMutation(
  'createWebhookEndpoint',
  'CreateWebhookEndpointInput',
  `secret webhookEndpoint { ${ENDPOINT} }`,
);
const UPDATE = payloadMutation(
  'updateWebhookEndpoint',
  'UpdateWebhookEndpointInput',
  `webhookEndpoint { ${ENDPOINT} }`,
);
const ROTATE = payloadMutation('rotateWebhookSecret', 'WebhookEndpointInput', `secret webhookEndpoint { ${ENDPOINT} }`);
const DELETE = payloadMutation('deleteWebhookEndpoint', 'WebhookEndpointInput', 'deletedWebhookEndpointId');
const REDELIVER = payloadMutation('redeliverWebhook', 'RedeliverWebhookInput', 'webhookDelivery { id eventId status }');
const DELIVERIES = `query Deliveries($endpointId: ID!) {
  webhookDeliveries(endpointId: $endpointId, first: 50) {
    edges { node { id eventId eventType status attempts responseStatus responseExcerpt error nextAttemptAt redeliveryOfId } }
  }
}`;

interface EndpointView {
  id: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
}

interface SecretPayload {
  secret: string | null;
  webhookEndpoint: EndpointView | null;
  userErrors: { code: string; field: string[] | null }[];
}

interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  responseExcerpt: string | null;
  error: string | null;
  redeliveryOfId: string | null;
}

async function createEndpoint(app: GraphqlClient, url: string, types: string[]): Promise<SecretPayload> {
  return (await gql<{ createWebhookEndpoint: SecretPayload }>(app, CREATE, { input: { url, types } }))
    .createWebhookEndpoint;
}

/** Created, or the test fails with the refusal. */
async function newEndpoint(app: GraphqlClient, url: string, types: string[]): Promise<{ id: string; secret: string }> {
  const payload = await createEndpoint(app, url, types);
  expect(payload.userErrors).toEqual([]);
  return { id: payload.webhookEndpoint!.id, secret: payload.secret! };
}

async function deliveriesOf(client: GraphqlClient, endpointId: string): Promise<DeliveryView[]> {
  const data = await gql<{ webhookDeliveries: { edges: { node: DeliveryView }[] } }>(client, DELIVERIES, {
    endpointId,
  });
  return data.webhookDeliveries.edges.map((edge) => edge.node);
}

/**
 * Issue 12, webhooks: partner apps receive the events they may see, signed with the Standard
 * Webhooks scheme, at least once, in order per endpoint, from a worker that retries with backoff,
 * disables an endpoint that keeps failing, and never connects to a private address unless allowed.
 */
describe('webhooks', () => {
  const settings = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_BASE_MS: '300',
    WEBHOOK_RETRY_MAX_MS: '600',
    WEBHOOK_DISABLE_AFTER_SECONDS: '2',
    WEBHOOK_TIMEOUT_MS: '2000',
  };
  const t = useTestApp({ env: settings });
  const receiver = new Receiver();
  let fixture: LedgerFixture;
  let auditor: GraphqlClient;
  let communityId: string;

  /** Publishes, queues and sends until `done`: the jobs every replica runs, called as BACKGROUND_JOBS=on would. */
  async function runJobsUntil(
    app: TestApp,
    description: string,
    done: () => boolean | Promise<boolean>,
  ): Promise<void> {
    await waitUntil(
      description,
      async () => {
        await app.app.get(EventRelaySweeper).sweep();
        await app.app.get(WebhookFanoutSweeper).sweep();
        await app.app.get(WebhookDeliverySweeper).sweep();
        return done();
      },
      15_000,
    );
  }

  async function pay(from: number, to: number, amount = 5n): Promise<string> {
    const payload = await t.ledger.createTransfer({
      idempotencyKey: `webhooks-${randomUUID()}`,
      debitAccountId: fixture.members[from].id,
      creditAccountId: fixture.members[to].id,
      amount,
      code: 'payment',
      memo: '',
    });
    expect(payload.userErrors).toEqual([]);
    return globalId('Transfer', payload.transfer!.id);
  }

  beforeAll(async () => {
    await receiver.start();
    fixture = await createLedgerFixture(t, [{ balance: 600n }, { balance: 300n }, { balance: 100n }]);
    // An endpoint receives what is published after its creation: the fixture's funding is published first.
    await waitUntil('the fixture is published', async () => {
      await t.app.get(EventRelaySweeper).sweep();
      const [{ waiting }] = await t.dataSource.query<{ waiting: number }[]>(
        'SELECT count(*)::int AS waiting FROM outbox_events WHERE position IS NULL',
      );
      return waiting === 0;
    });
    communityId = globalId('Community', fixture.community.id);
    const app = await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Auditor');
    auditor = asPartner(t, app.apiKey);
  });

  afterAll(() => receiver.stop());

  it('signs each delivery so that a receiver verifies it in a few lines; the body is the feed’s envelope', async () => {
    const { id, secret } = await newEndpoint(auditor, receiver.url('/signed'), ['transfer.posted']);
    const transferId = await pay(0, 1);
    await runJobsUntil(t, 'the transfer is delivered', () => receiver.at('/signed').length === 1);

    const [{ headers, body }] = receiver.at('/signed');
    expect(verifyWebhook(secret, headers, body)).toBe(true);
    expect(verifyWebhook(secret, headers, body.replace('"transfer.posted"', '"transfer.voided"'))).toBe(false);
    const envelope = JSON.parse(body) as Record<string, unknown>;
    expect(envelope).toMatchObject({ type: 'transfer.posted', communityId, subjectId: transferId });
    expect(envelope.id).toBe(headers['webhook-id']);
    expect(envelope.id).toBe(globalId('Event', envelope.position as string));
    expect(Object.keys(envelope)).toEqual(
      expect.arrayContaining([
        'id',
        'position',
        'type',
        'communityId',
        'occurredAt',
        'subjectType',
        'subjectId',
        'payload',
      ]),
    );
    const [delivery] = await deliveriesOf(auditor, id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseStatus: 200, eventId: envelope.id });
  });

  it('retries a failed delivery with growing delays, and sends the next event only after it', async () => {
    const { id } = await newEndpoint(auditor, receiver.url('/flaky'), ['transfer.posted']);
    receiver.answer = (path, count) => ({ status: path === '/flaky' && count <= 2 ? 500 : 200 });
    const first = await pay(0, 1, 1n);
    const second = await pay(0, 1, 2n);
    await runJobsUntil(t, 'both transfers are delivered', () => receiver.at('/flaky').length === 4);

    const got = receiver.at('/flaky');
    const subjects = got.map((request) => (JSON.parse(request.body) as { subjectId: string }).subjectId);
    expect(subjects).toEqual([first, first, first, second]);
    expect(new Set(got.slice(0, 3).map((request) => request.headers['webhook-id'])).size).toBe(1);
    // Equal jitter: at least half the base (300 ms), then half of double it.
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(150);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(300);
    const deliveries = await deliveriesOf(auditor, id);
    expect(deliveries.map((d) => [d.status, d.attempts, d.responseStatus])).toEqual([
      ['SUCCEEDED', 1, 200],
      ['SUCCEEDED', 3, 200],
    ]);
  });

  it('disables an endpoint that keeps failing, and tells its owner by an event and an audit entry', async () => {
    const { id } = await newEndpoint(auditor, receiver.url('/down'), ['transfer.posted']);
    receiver.answer = (path) => ({ status: path === '/down' ? 503 : 200 });
    await pay(1, 0);
    const endpoint = async (): Promise<EndpointView> =>
      (
        await gql<{ webhookEndpoint: EndpointView }>(
          auditor,
          `query E($id: ID!) { webhookEndpoint(id: $id) { ${ENDPOINT} } }`,
          { id },
        )
      ).webhookEndpoint;
    await runJobsUntil(t, 'the endpoint is disabled', async () => !(await endpoint()).enabled);

    expect(await endpoint()).toMatchObject({ enabled: false, disabledReason: 'FAILING' });
    const attempts = receiver.at('/down').length;
    expect(attempts).toBeGreaterThan(1);
    const [given] = await deliveriesOf(auditor, id);
    expect(given).toMatchObject({ status: 'FAILED', responseStatus: 503, attempts });

    // The owner reads it in its feed once the relay publishes it (another file's open transaction may hold it back a moment).
    const disabledEvents = async (): Promise<string[]> =>
      (
        await gql<{ events: { edges: { node: { subjectId: string } }[] } }>(
          auditor,
          'query { events(types: ["webhook.endpoint_disabled"], first: 10) { edges { node { subjectId } } } }',
        )
      ).events.edges.map((edge) => edge.node.subjectId);
    await runJobsUntil(t, 'the event is published', async () => (await disabledEvents()).length > 0);
    expect(await disabledEvents()).toEqual([id]);
    const audit = await gql<{ auditLog: { edges: { node: { targetId: string; actorRole: string } }[] } }>(
      fixture.asCoordinator(),
      `query A($c: ID!) { auditLog(communityId: $c, action: "webhook_endpoint.disable", first: 10) { edges { node { targetId actorRole } } } }`,
      { c: communityId },
    );
    expect(audit.auditLog.edges.map((edge) => edge.node)).toEqual([
      { targetId: databaseIdOf('WebhookEndpoint', id), actorRole: 'SYSTEM' },
    ]);

    // Nothing goes out while disabled, but events keep being queued; enabled again, it sends what waited.
    const meanwhile = await pay(1, 0);
    await runJobsUntil(t, 'a pass with the endpoint disabled', () => true);
    expect(receiver.at('/down')).toHaveLength(attempts);
    receiver.answer = () => ({ status: 200 });
    const enabled = await gql<{ updateWebhookEndpoint: { webhookEndpoint: EndpointView } }>(auditor, UPDATE, {
      input: { endpointId: id, enabled: true },
    });
    expect(enabled.updateWebhookEndpoint.webhookEndpoint).toMatchObject({ enabled: true, disabledReason: null });
    await runJobsUntil(t, 'the waiting event is sent', () => receiver.at('/down').length === attempts + 1);
    expect((JSON.parse(receiver.at('/down')[attempts].body) as { subjectId: string }).subjectId).toBe(meanwhile);
  });

  it('follows no redirect, keeps only the start of an answer, and gives up on one slower than the timeout', async () => {
    const answers: Record<string, Answer> = {
      '/moved': { status: 302, headers: { location: receiver.url('/elsewhere') } },
      '/chatty': { status: 500, body: 'x'.repeat(10_000) },
      '/slow': { status: 200, delayMs: 2500 },
    };
    receiver.answer = (path) => answers[path] ?? { status: 200 };
    const endpoints = await Promise.all(
      Object.keys(answers).map((path) => newEndpoint(auditor, receiver.url(path), ['transfer.posted'])),
    );
    await pay(1, 2);
    const tried = async (): Promise<DeliveryView[]> =>
      Promise.all(endpoints.map(async ({ id }) => (await deliveriesOf(auditor, id))[0]));
    await runJobsUntil(t, 'each was tried', async () => (await tried()).every((delivery) => delivery?.attempts > 0));

    const [moved, chatty, slow] = await tried();
    // Failures all (retried, or given up by now: the slow one held a sender past the 2 s disabling limit).
    expect([moved, chatty, slow].map((delivery) => delivery.status)).not.toContain('SUCCEEDED');
    expect(moved.responseStatus).toBe(302);
    expect(receiver.at('/elsewhere')).toEqual([]);
    expect(chatty).toMatchObject({ responseStatus: 500, responseExcerpt: 'x'.repeat(200) });
    expect(slow).toMatchObject({ responseStatus: null, error: 'timeout' });

    // Deleted, they are sent nothing more, and their logs go with them.
    for (const { id } of endpoints) {
      const deleted = await gql<{ deleteWebhookEndpoint: { deletedWebhookEndpointId: string | null } }>(
        auditor,
        DELETE,
        {
          input: { endpointId: id },
        },
      );
      expect(deleted.deleteWebhookEndpoint.deletedWebhookEndpointId).toBe(id);
    }
    const [{ left }] = await t.dataSource.query<{ left: number }[]>(
      'SELECT count(*)::int AS left FROM webhook_deliveries WHERE endpoint_id = ANY($1::bigint[])',
      [endpoints.map(({ id }) => databaseIdOf('WebhookEndpoint', id))],
    );
    expect(left).toBe(0);
    receiver.answer = () => ({ status: 200 });
  });

  it('connects to the addresses the guard checked, never asking DNS again (no rebinding)', async () => {
    // A name that no DNS answers: reaching the receiver proves the connection used the checked address.
    const url = new URL(receiver.url('/pinned', 'pinned.invalid'));
    const target = { url, addresses: [{ address: '127.0.0.1', family: 4 }] };
    const result = await sendWebhook(target, { 'webhook-id': 'pinned' }, '{}', 2000);
    expect(result).toMatchObject({ status: 200, error: null });
    expect(receiver.at('/pinned').map((request) => request.headers.host)).toEqual([url.host]);
  });

  it('redelivers an event with the same webhook-id, after what is already queued', async () => {
    const { id, secret } = await newEndpoint(auditor, receiver.url('/again'), ['transfer.posted']);
    await pay(2, 0);
    await runJobsUntil(t, 'the first delivery', () => receiver.at('/again').length === 1);
    const [delivery] = await deliveriesOf(auditor, id);
    const redelivered = await gql<{ redeliverWebhook: { webhookDelivery: { id: string; eventId: string } | null } }>(
      auditor,
      REDELIVER,
      { input: { deliveryId: delivery.id } },
    );
    expect(redelivered.redeliverWebhook.webhookDelivery?.eventId).toBe(delivery.eventId);
    await runJobsUntil(t, 'the redelivery', () => receiver.at('/again').length === 2);

    const [original, repeat] = receiver.at('/again');
    expect(repeat.headers['webhook-id']).toBe(original.headers['webhook-id']);
    expect(repeat.body).toBe(original.body);
    expect(verifyWebhook(secret, repeat.headers, repeat.body)).toBe(true);
    const [newest] = await deliveriesOf(auditor, id);
    expect(newest).toMatchObject({ redeliveryOfId: delivery.id, status: 'SUCCEEDED' });
  });

  it('sends each event once and in order while two replicas, each with several senders, work at once', async () => {
    const replica = await startTestApp(4, testDatabaseUrl(), settings);
    try {
      await newEndpoint(auditor, receiver.url('/replicas'), ['transfer.posted']);
      const paid: string[] = [];
      for (let count = 1; count <= 6; count++) paid.push(await pay(count % 2, (count + 1) % 2, BigInt(count)));
      const all = () => receiver.at('/replicas').length >= 6;
      await Promise.all([runJobsUntil(t, 'six deliveries', all), runJobsUntil(replica, 'six deliveries', all)]);

      const subjects = receiver
        .at('/replicas')
        .map((request) => (JSON.parse(request.body) as { subjectId: string }).subjectId);
      expect(subjects).toEqual(paid);
    } finally {
      await replica.close();
    }
  });

  it('signs with the old and the new secret during the grace period after a rotation', async () => {
    const { id, secret: old } = await newEndpoint(auditor, receiver.url('/rotated'), ['transfer.posted']);
    const rotated = (await gql<{ rotateWebhookSecret: SecretPayload }>(auditor, ROTATE, { input: { endpointId: id } }))
      .rotateWebhookSecret;
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.secret).not.toBe(old);
    expect(rotated.webhookEndpoint?.previousSecretExpiresAt).not.toBeNull();
    await pay(0, 2);
    await runJobsUntil(t, 'the delivery', () => receiver.at('/rotated').length === 1);

    const [{ headers, body }] = receiver.at('/rotated');
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(rotated.secret!, headers, body)).toBe(true);
    expect(verifyWebhook(old, headers, body)).toBe(true);
  });

  it('sends an endpoint only what its app may see: a member’s events only with their consent', async () => {
    const agentApp = await registerPartnerApp(fixture.asCoordinator(), communityId, ['ACT_FOR_MEMBER'], 'Agent');
    await grantPartnerConsent(fixture.as(fixture.members[0]), agentApp.partnerApp.id);
    const agent = asPartner(t, agentApp.apiKey);
    await newEndpoint(agent, receiver.url('/agent'), ['transfer.posted']);
    const others = await pay(1, 2);
    const alices = await pay(0, 1);
    const afterAlices = await pay(2, 1);
    const alicesToo = await pay(2, 0);
    await runJobsUntil(t, "Alice's two transfers are delivered", () => receiver.at('/agent').length >= 2);
    // The bystanders' transfers came between and after; a pass more would have sent them by now.
    await runJobsUntil(t, 'another pass', () => true);

    const subjects = receiver
      .at('/agent')
      .map((request) => (JSON.parse(request.body) as { subjectId: string }).subjectId);
    expect(subjects).toEqual([alices, alicesToo]);
    expect(subjects).not.toContain(others);
    expect(subjects).not.toContain(afterAlices);
  });

  it('refuses unknown event types and an eleventh endpoint; another app’s endpoint is not found', async () => {
    const refused = await createEndpoint(auditor, receiver.url('/x'), ['transfer.posted', 'transfer.teleported']);
    expect(refused.userErrors.map((error) => error.code)).toEqual(['UNKNOWN_EVENT_TYPE']);
    const { id } = await newEndpoint(auditor, receiver.url('/mine'), ['transfer.posted']);
    const stranger = await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Stranger');
    const update = await gql<{ updateWebhookEndpoint: { userErrors: { code: string }[] } }>(
      asPartner(t, stranger.apiKey),
      UPDATE,
      { input: { endpointId: id, enabled: false } },
    );
    expect(update.updateWebhookEndpoint.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
    const node = 'query N($id: ID!) { node(id: $id) { __typename id } }';
    expect((await gql<{ node: unknown }>(auditor, node, { id })).node).toEqual({ __typename: 'WebhookEndpoint', id });
    expect((await gql<{ node: unknown }>(asPartner(t, stranger.apiKey), node, { id })).node).toBeNull();
    for (let count = 0; count < 10; count++)
      await newEndpoint(asPartner(t, stranger.apiKey), receiver.url(`/many/${count}`), ['ledger.checkpoint']);
    const eleventh = await createEndpoint(asPartner(t, stranger.apiKey), receiver.url('/many/10'), [
      'ledger.checkpoint',
    ]);
    expect(eleventh.userErrors.map((error) => error.code)).toEqual(['TOO_MANY_ENDPOINTS']);
    const member = await fixture
      .as(fixture.members[0])
      .graphql(CREATE, { input: { url: receiver.url('/m'), types: ['transfer.posted'] } });
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  describe('with the SSRF guard on (the default)', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await startTestApp(4, testDatabaseUrl());
    });

    afterAll(() => strict.close());

    it.each([
      'http://10.0.0.1/hook',
      'http://127.0.0.1:9/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'ftp://example.com/hook',
      'http://localhost:9/hook',
    ])('refuses %s with URL_NOT_ALLOWED', async (url) => {
      const refused = await createEndpoint(asPartner(strict, await strictAuditorKey()), url, ['transfer.posted']);
      expect(refused.userErrors).toEqual([
        expect.objectContaining({ code: 'URL_NOT_ALLOWED', field: ['input', 'url'] }),
      ]);
    });

    let key: string | undefined;
    async function strictAuditorKey(): Promise<string> {
      key ??= (await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ'], 'Strict')).apiKey;
      return key;
    }

    it('checks again at delivery time: a target the guard refuses now gets nothing', async () => {
      const { id } = await newEndpoint(auditor, receiver.url('/rebound'), ['transfer.posted']);
      await pay(0, 1);
      await runJobsUntil(
        strict,
        'the attempt is refused',
        async () => (await deliveriesOf(auditor, id))[0]?.attempts > 0,
      );
      const [delivery] = await deliveriesOf(auditor, id);
      expect(delivery.status).toBe('PENDING');
      expect(delivery.error).toMatch(/^URL_NOT_ALLOWED/);
      expect(receiver.at('/rebound')).toEqual([]);
      await ownerQuery(testDatabaseUrl(), 'DELETE FROM webhook_endpoints WHERE url = $1', [receiver.url('/rebound')]);
    });
  });
});
