import { randomUUID } from 'node:crypto';
import { EventHub } from '../../src/events/event-hub.js';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';
import { globalId } from '../support/global-ids.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { openSocket, Received, SubscriptionSocket } from '../support/subscription-client.js';
import { useTestApp } from '../support/test-app.js';
import type { TestApp } from '../support/test-app.js';
import { accept, exchangeCommunity, proposedExchange } from './exchange-client.js';
import { setPolicies } from './member-client.js';
import { gql } from './graphql-client.js';

const ACCOUNT_ACTIVITY = `subscription Activity($accountId: ID!, $after: ID) {
  accountActivity(accountId: $accountId, after: $after) {
    event { id type position subjectId }
    transfer { id amount }
    account { id }
    balance
    availableBalance
  }
}`;

const COMMUNITY_EVENTS = `subscription Community($communityId: ID!, $types: [String!]) {
  communityEvents(communityId: $communityId, types: $types) { id type communityId subjectId payload }
}`;

const MY_EXCHANGES = `subscription Mine { myExchanges { event { id type payload } exchange { id status } } }`;

interface Activity {
  accountActivity: {
    event: { id: string; type: string; position: string; subjectId: string };
    transfer: { id: string; amount: string };
    account: { id: string };
    balance: string;
    availableBalance: string;
  };
}

/** The limits these tests reach: small, so that reaching them is cheap. */
const LIMITS = {
  SUBSCRIPTIONS_PER_CONNECTION: '3',
  SUBSCRIPTION_CONNECTIONS_PER_CALLER: '3',
  SUBSCRIPTION_RECHECK_MS: '300',
};

/**
 * Issue 12, subscriptions: a real graphql-ws client on the real server, with the relay publishing
 * every 100 ms as it would in production (background jobs are off in tests, so the test runs it).
 */
function describeSubscriptions(name: string, env: Record<string, string>): void {
  describe(name, () => {
    const t = useTestApp({ env: { ...LIMITS, ...env } });
    let fixture: LedgerFixture;
    let relay: NodeJS.Timeout;
    const sockets: SubscriptionSocket[] = [];

    beforeAll(async () => {
      const sweeper = t.app.get(EventRelaySweeper);
      relay = setInterval(() => void sweeper.sweep().catch(() => undefined), 100);
      fixture = await createLedgerFixture(t, [{ balance: 600n }, { balance: 300n }, { balance: 100n }]);
      // The funding is history: "from now on" starts after it.
      await waitUntil('the funding is published', () => nothingUnpublished(t));
    });
    afterEach(async () => {
      for (const socket of sockets.splice(0)) await socket.dispose();
    });
    afterAll(() => clearInterval(relay));

    const socketAs = (token: string | null): SubscriptionSocket => {
      const socket = openSocket(t.url, token === null ? null : { authorization: `Bearer ${token}` });
      sockets.push(socket);
      return socket;
    };
    const accountOf = (index: number): string => globalId('Account', fixture.members[index].id);

    /** Subscribes and waits until the server has the subscription open, so that what follows is live for it. */
    async function subscribed<T>(socket: SubscriptionSocket, query: string, variables: Record<string, unknown> = {}) {
      const hub = t.app.get(EventHub);
      const before = hub.opened;
      const received = new Received<T>(socket, query, variables);
      await waitUntil('the subscription is open', () =>
        Promise.resolve(hub.opened > before || received.errors.length > 0),
      );
      return received;
    }

    const pay = (from: number, to: number, amount: bigint, pending = false) =>
      payBetween(t, fixture, from, to, amount, pending);

    it('accountActivity sends each posting and hold of the account, in order, with the balances that follow', async () => {
      const [alice] = fixture.holders;
      const activity = await subscribed<Activity>(socketAs(alice.token), ACCOUNT_ACTIVITY, { accountId: accountOf(0) });

      const incoming = await pay(1, 0, 50n);
      const hold = await pay(0, 2, 20n, true);
      const [first, second] = (await activity.waitFor(2)).map((result) => result.accountActivity);

      expect(first).toMatchObject({
        event: { type: 'transfer.posted', subjectId: globalId('Transfer', incoming) },
        transfer: { id: globalId('Transfer', incoming), amount: '50' },
        account: { id: accountOf(0) },
      });
      expect(second).toMatchObject({
        event: { type: 'transfer.pending' },
        transfer: { id: globalId('Transfer', hold), amount: '20' },
      });
      expect(BigInt(second.event.position)).toBeGreaterThan(BigInt(first.event.position));
      expect(second).toMatchObject({ balance: '650', availableBalance: '630' });
      expect(activity.errors).toEqual([]);
    });

    it("another member's account is FORBIDDEN, and none of its events ever arrives", async () => {
      const socket = socketAs(fixture.holders[0].token);
      const theirs = new Received<Activity>(socket, ACCOUNT_ACTIVITY, { accountId: accountOf(1) });
      await theirs.waitForEnd();
      expect(theirs.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      // A sentinel on the subscriber's own account: once its event arrives, the other's would have too.
      const own = await subscribed<Activity>(socket, ACCOUNT_ACTIVITY, { accountId: accountOf(0) });
      await pay(1, 2, 5n);
      await pay(1, 0, 1n);
      await own.waitFor(1);
      expect(theirs.data).toEqual([]);
      expect(own.data.map((result) => result.accountActivity.transfer.amount)).toEqual(['1']);
    });

    it("a co-member who may see another member's balance may not follow it: FORBIDDEN, as its history is", async () => {
      const open = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      await setPolicies(open, { balancesVisible: true });
      const [owner] = open.members;
      const followed = new Received<Activity>(socketAs(open.holders[1].token), ACCOUNT_ACTIVITY, {
        accountId: globalId('Account', owner.id),
      });
      await followed.waitForEnd();
      expect(followed.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    });

    it('communityEvents sends the community its auditors see, of the types asked; a member is FORBIDDEN', async () => {
      const communityId = globalId('Community', fixture.community.id);
      const coordinator = await subscribed<{ communityEvents: { type: string; communityId: string } }>(
        socketAs(fixture.coordinator.token),
        COMMUNITY_EVENTS,
        { communityId, types: ['transfer.pending'] },
      );
      const member = new Received(socketAs(fixture.holders[1].token), COMMUNITY_EVENTS, { communityId });
      await member.waitForEnd();
      expect(member.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

      await pay(1, 2, 3n);
      const hold = await pay(1, 2, 4n, true);
      const [event] = (await coordinator.waitFor(1)).map((result) => result.communityEvents);
      expect(event).toMatchObject({ type: 'transfer.pending', communityId, subjectId: globalId('Transfer', hold) });
    });

    it('myExchanges sends every step of the caller’s own exchanges', async () => {
      const { fixture: scene, parties } = await exchangeCommunity(t, [{ balance: 300n }, { balance: 0n }]);
      const [receiver, provider] = parties;
      const mine = await subscribed<{
        myExchanges: { event: { type: string; payload: { status: string } }; exchange: { id: string; status: string } };
      }>(socketAs(scene.holders[0].token), MY_EXCHANGES);
      const proposed = await proposedExchange(receiver, provider, globalId('Community', scene.community.id), 60);
      await accept(provider, proposed.id);
      const steps = (await mine.waitFor(2)).map((result) => result.myExchanges);
      // Each event carries the step; the exchange is as it stands when the event is sent.
      expect(steps.map(({ event }) => [event.type, event.payload.status])).toEqual([
        ['exchange.proposed', 'proposed'],
        ['exchange.accepted', 'accepted'],
      ]);
      expect(steps.map(({ exchange }) => exchange.id)).toEqual([proposed.id, proposed.id]);
      expect(steps[1].exchange.status).toBe('ACCEPTED');
    });

    it('a subscriber that reconnects with the last event id gets what it missed first, then live events, each once', async () => {
      const [alice] = fixture.holders;
      const first = await subscribed<Activity>(socketAs(alice.token), ACCOUNT_ACTIVITY, { accountId: accountOf(0) });
      const before = [await pay(1, 0, 11n), await pay(1, 0, 12n)];
      await first.waitFor(2);
      const lastSeen = first.data[1].accountActivity.event.id;
      await sockets.pop()!.dispose();

      const missed = [await pay(1, 0, 13n), await pay(0, 2, 14n), await pay(1, 0, 15n)];
      await waitUntil('the missed transfers are published', () => published(t, missed.at(-1)!));
      const resumed = await subscribed<Activity>(socketAs(alice.token), ACCOUNT_ACTIVITY, {
        accountId: accountOf(0),
        after: lastSeen,
      });
      await resumed.waitFor(3);
      const live = await pay(1, 0, 16n);
      const results = await resumed.waitFor(4);

      const ids = results.map((result) => result.accountActivity.transfer.id);
      expect(ids).toEqual([...missed, live].map((id) => globalId('Transfer', id)));
      expect(ids).not.toContain(globalId('Transfer', before[1]));
      const positions = results.map((result) => BigInt(result.accountActivity.event.position));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    });

    it('credentials are those of HTTP, checked at connection_init: none, or a bad one, closes the socket with 4401', async () => {
      expect(await socketAs(null).closed).toMatchObject({
        code: 4401,
        reason: expect.stringMatching(/^UNAUTHENTICATED/),
      });
      expect(await socketAs('pa_not-a-token').closed).toMatchObject({ code: 4401 });
      const partnerless = openSocket(t.url, { authorization: 42 });
      sockets.push(partnerless);
      expect(await partnerless.closed).toMatchObject({ code: 4401 });
    });

    it('the socket closes (4401) once its session is signed out', async () => {
      const { accessToken } = await t.identity.startSession(fixture.holders[2].memberId);
      const socket = socketAs(accessToken);
      await subscribed(socket, ACCOUNT_ACTIVITY, { accountId: accountOf(2) });
      await gql(t.as(accessToken), 'mutation { signOut(input: { everywhere: false }) { userErrors { code } } }');
      expect(await socket.closed).toMatchObject({ code: 4401, reason: expect.stringMatching(/^UNAUTHENTICATED/) });
    });

    it('limits: sockets per caller, subscriptions per socket, and the query limits of HTTP', async () => {
      // A member of their own, whose sockets no earlier test left closing.
      const { fixture: scene } = await exchangeCommunity(t, [{ balance: 0n }]);
      const { token } = scene.holders[0];
      const accountId = globalId('Account', scene.members[0].id);
      const open = [socketAs(token), socketAs(token), socketAs(token)];
      await Promise.all(open.map((socket) => socket.connected));
      expect(await socketAs(token).closed).toMatchObject({
        code: 4403,
        reason: expect.stringMatching(/^TOO_MANY_CONNECTIONS/),
      });

      const [socket] = open;
      for (let i = 0; i < 3; i++) await subscribed(socket, ACCOUNT_ACTIVITY, { accountId: accountId });
      const refusedCode = async (query: string, variables: Record<string, unknown> = {}) => {
        const received = new Received(socket, query, variables);
        await received.waitForEnd();
        return received.errors.map((error) => error.extensions?.code);
      };
      expect(await refusedCode(ACCOUNT_ACTIVITY, { accountId: accountId })).toEqual(['TOO_MANY_SUBSCRIPTIONS']);

      const spare = open[1];
      const refused = async (query: string, variables: Record<string, unknown> = {}) => {
        const received = new Received(spare, query, variables);
        await received.waitForEnd();
        return received.errors.map((error) => error.extensions?.code);
      };
      const aliases = Array.from({ length: 11 }, (_, i) => `a${i}: balance`).join(' ');
      expect(await refused(`subscription { accountActivity(accountId: "${accountId}") { ${aliases} } }`)).toEqual([
        'QUERY_TOO_COMPLEX',
      ]);
      expect(await refused('subscription { accountActivity(accountId: ')).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(await refused('query { __typename }')).toEqual(['BAD_USER_INPUT']);
      expect(await refused('subscription { nothingHere }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(await refused(ACCOUNT_ACTIVITY, { accountId: accountId, after: 'not an id' })).toEqual(['BAD_USER_INPUT']);
      // As the account query answers over HTTP: FORBIDDEN, whether or not such an account exists.
      expect(await refused(ACCOUNT_ACTIVITY, { accountId: 'x'.repeat(300) })).toEqual(['FORBIDDEN']);
      // The worst values a client can find: each gets a clear code, none an internal error.
      const hostile = [
        await refused(ACCOUNT_ACTIVITY, { accountId: 'a\u0000b' }),
        await refused(ACCOUNT_ACTIVITY, { accountId, after: globalId('Event', '9'.repeat(30)) }),
        await refused(ACCOUNT_ACTIVITY, { accountId, after: -1 }),
        await refused(COMMUNITY_EVENTS, { communityId: globalId('Community', scene.community.id), types: ['nope'] }),
        await refused(COMMUNITY_EVENTS, { communityId: globalId('Community', scene.community.id), types: [] }),
        await refused(COMMUNITY_EVENTS, { communityId: 'Q29tbXVuaXR5Oi0x' }),
      ];
      expect(hostile).toEqual([
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['FORBIDDEN'],
      ]);
    });
  });
}

/** A payment (or a one-hour hold) between two fixture accounts, through the ledger service; its database id. */
async function payBetween(
  t: TestApp,
  fixture: LedgerFixture,
  from: number,
  to: number,
  amount: bigint,
  pending: boolean,
): Promise<string> {
  const payload = await t.ledger.createTransfer({
    idempotencyKey: `subscriptions-${randomUUID()}`,
    debitAccountId: fixture.members[from].id,
    creditAccountId: fixture.members[to].id,
    amount,
    code: 'payment',
    memo: '',
    ...(pending ? { pending: true, timeoutSeconds: 3600 } : {}),
  });
  expect(payload.userErrors).toEqual([]);
  return payload.transfer!.id;
}

async function nothingUnpublished(t: TestApp): Promise<boolean> {
  const [{ waiting }] = await t.dataSource.query<{ waiting: number }[]>(
    'SELECT count(*)::int AS waiting FROM outbox_events WHERE position IS NULL',
  );
  return waiting === 0;
}

/** Whether the event of this transfer has been published. */
async function published(t: TestApp, transferId: string): Promise<boolean> {
  const rows = await t.dataSource.query<unknown[]>(
    `SELECT 1 FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = $1 AND position IS NOT NULL`,
    [transferId],
  );
  return rows.length > 0;
}

describeSubscriptions('subscriptions over graphql-ws (replicas told through PostgreSQL LISTEN/NOTIFY)', {});
// NATS runs where CI does (.ci/run sets NATS_URL); a newcomer's machine has none, and the PostgreSQL bus is the default.
const natsUrl = process.env.NATS_URL;
if (natsUrl)
  describeSubscriptions('subscriptions over graphql-ws (replicas told through NATS JetStream)', { NATS_URL: natsUrl });
else
  describe.skip('subscriptions through NATS JetStream (set NATS_URL to run them)', () =>
    it('needs NATS_URL', () => undefined));

describe('subscriptions when the bus cannot be reached', () => {
  const t = useTestApp({ env: { NATS_URL: 'nats://127.0.0.1:1' } });

  it('refuses a subscription with SERVICE_UNAVAILABLE (the client retries later), and serves HTTP as before', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 10n }]);
    const socket = openSocket(t.url, { authorization: `Bearer ${fixture.holders[0].token}` });
    try {
      const received = new Received(socket, ACCOUNT_ACTIVITY, {
        accountId: globalId('Account', fixture.members[0].id),
      });
      await received.waitForEnd();
      expect(received.errors.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect((await t.as(fixture.holders[0].token).graphql('{ viewer { kind } }')).data).toEqual({
        viewer: { kind: 'MEMBER' },
      });
    } finally {
      await socket.dispose();
    }
  });
});
