import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { withDatabaseName } from '../../libs/database/scratch-database.js';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';
import { CreateTransferPayload } from '../../src/ledger/models/ledger.models.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { globalId } from '../support/global-ids.js';
import { asPartner, grantPartnerConsent, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql, PAGE_INFO } from './graphql-client.js';
import { postListing, updateListing } from './listing-client.js';
import { MUTATIONS } from './member-client.js';
import type { GraphqlClient, TestApp } from '../support/test-app.js';

const EVENTS = `query Events($after: String, $first: Int, $types: [String!], $communityId: ID) {
  events(after: $after, first: $first, types: $types, communityId: $communityId) {
    edges { cursor node { id position type communityId occurredAt publishedAt subjectType subjectId payload } }
    ${PAGE_INFO}
  }
}`;

interface EventView {
  id: string;
  position: string;
  type: string;
  communityId: string | null;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

interface EventsPage {
  edges: { cursor: string; node: EventView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every event the client may see, page by page from `after`, and the cursor to go on from. */
async function readAll(
  client: GraphqlClient,
  variables: Record<string, unknown> = {},
  after: string | null = null,
  first = 3,
): Promise<{ events: EventView[]; cursor: string | null }> {
  const events: EventView[] = [];
  let cursor = after;
  for (;;) {
    const response = await client.graphql<{ events: EventsPage }>(EVENTS, { ...variables, after: cursor, first });
    expect(response.errors).toBeUndefined();
    const page = response.data!.events;
    events.push(...page.edges.map((edge) => edge.node));
    cursor = page.pageInfo.endCursor ?? cursor;
    if (!page.pageInfo.hasNextPage) return { events, cursor };
  }
}

const transferIdOf = (payload: CreateTransferPayload): string => {
  expect(payload.userErrors).toEqual([]);
  return payload.transfer!.id;
};

/** A payment through the ledger service (the gate every mutation goes through), or a hold for an hour; its id. */
async function transferBy(
  ledger: TestApp['ledger'],
  from: { id: string },
  to: { id: string },
  amount: bigint,
  hold = false,
): Promise<string> {
  return transferIdOf(
    await ledger.createTransfer({
      idempotencyKey: `events-${randomUUID()}`,
      debitAccountId: from.id,
      creditAccountId: to.id,
      amount,
      code: 'payment',
      memo: '',
      ...(hold ? { pending: true, timeoutSeconds: 3600 } : {}),
    }),
  );
}

/**
 * Issue 12, part 1: every transfer, exchange step, review and checkpoint is an event; a relay
 * publishes them at strictly increasing positions without skipping a late commit; the `events`
 * feed pages them by position, as far as the caller may see.
 */
describe('the event feed', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let relay: EventRelaySweeper;

  /** Publishes every event committed so far, as the relay would within a second (other files' transactions may hold the horizon a moment). */
  async function publishEverything(): Promise<void> {
    const [{ last }] = await t.dataSource.query<{ last: string }[]>(
      'SELECT coalesce(max(id), 0) AS last FROM outbox_events',
    );
    await waitUntil(`every event up to ${last} is published`, async () => {
      await relay.sweep();
      const [{ waiting }] = await t.dataSource.query<{ waiting: number }[]>(
        'SELECT count(*)::int AS waiting FROM outbox_events WHERE position IS NULL AND id <= $1',
        [last],
      );
      return waiting === 0;
    });
  }

  const pay = (from: { id: string }, to: { id: string }, amount: bigint): Promise<string> =>
    transferBy(t.ledger, from, to, amount);

  beforeAll(async () => {
    relay = t.app.get(EventRelaySweeper);
    fixture = await createLedgerFixture(t, [{ balance: 600n }, { balance: 300n }, { balance: 100n }]);
  });

  it('announces each transfer once, by type, with global ids, to the holders of its accounts', async () => {
    const [alice, bob] = fixture.members;
    const direct = await pay(alice, bob, 60n);
    const hold = await transferBy(t.ledger, alice, bob, 30n, true);
    const posted = transferIdOf(
      await t.ledger.postPendingTransfer({
        idempotencyKey: `events-${randomUUID()}`,
        pendingTransferId: hold,
        memo: '',
      }),
    );
    const hold2 = await transferBy(t.ledger, alice, bob, 10n, true);
    const voided = transferIdOf(
      await t.ledger.voidPendingTransfer({
        idempotencyKey: `events-${randomUUID()}`,
        pendingTransferId: hold2,
        memo: '',
      }),
    );
    const reversed = transferIdOf(
      await t.ledger.reverseTransfer({
        idempotencyKey: `events-${randomUUID()}`,
        transferId: direct,
        memo: '',
        force: false,
      }),
    );
    await publishEverything();

    const { events } = await readAll(fixture.as(alice), { communityId: globalId('Community', fixture.community.id) });
    const ours = [direct, hold, posted, hold2, voided, reversed].map((id) => globalId('Transfer', id));
    const mine = events.filter((event) => ours.includes(event.subjectId));
    expect(mine.map((event) => [event.type, event.subjectId])).toEqual([
      ['transfer.posted', ours[0]],
      ['transfer.pending', ours[1]],
      ['transfer.posted', ours[2]],
      ['transfer.pending', ours[3]],
      ['transfer.voided', ours[4]],
      ['transfer.reversed', ours[5]],
    ]);
    expect(mine[2].payload).toMatchObject({
      version: 1,
      transferId: ours[2],
      pendingId: ours[1],
      debitAccountId: globalId('Account', alice.id),
      creditAccountId: globalId('Account', bob.id),
      amount: '30',
      kind: 'post_pending',
    });
    expect(mine[5].payload).toMatchObject({ reversesId: ours[0], debitAccountId: globalId('Account', bob.id) });
    expect(mine.every((event) => event.communityId === globalId('Community', fixture.community.id))).toBe(true);
    // Strictly increasing positions; a global id that names the position.
    const positions = events.map((event) => BigInt(event.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(positions.length);
    expect(mine[0].id).toBe(globalId('Event', mine[0].position));
    // Exactly one event per transfer in the database, too.
    const [{ events: stored, transfers }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = ANY($1)) AS events,
              cardinality($1::text[]) AS transfers`,
      [[direct, hold, posted, hold2, voided, reversed]],
    );
    expect(stored).toBe(transfers);
    // Stored whole, as the feed's readers rely on: every field of the transfer, its community, both holders.
    const ids = [direct, hold, posted, hold2, voided, reversed];
    const rows = await t.dataSource.query<
      { aggregate_id: string; community_id: string; member_ids: string[]; payload: Record<string, unknown> }[]
    >(
      `SELECT aggregate_id, community_id::text, member_ids::text[], payload FROM outbox_events
        WHERE aggregate_type = 'transfer' AND aggregate_id = ANY($1) ORDER BY id`,
      [ids],
    );
    const written = await t.dataSource.query<Record<string, string | null>[]>(
      `SELECT id::text AS "transferId", kind, currency_id::text AS "currencyId", debit_account_id::text AS "debitAccountId",
              credit_account_id::text AS "creditAccountId", amount::text AS amount, code, pending_id::text AS "pendingId",
              reverses_id::text AS "reversesId", to_json(timeout_at) #>> '{}' AS "timeoutAt", to_json(created_at) #>> '{}' AS "createdAt"
         FROM transfers WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    const holders = fixture.holders.slice(0, 2).map((holder) => holder.memberId);
    expect(rows).toEqual(
      written.map((transfer) => ({
        aggregate_id: transfer.transferId,
        community_id: fixture.community.id,
        member_ids: [...holders].sort((a, b) => Number(a) - Number(b)),
        payload: transfer,
      })),
    );
    expect(written.filter((transfer) => transfer.timeoutAt !== null)).toHaveLength(2);
  });

  it("shows a member only their own accounts' events, and the coordinator all of the community's", async () => {
    const [alice, bob, carol] = fixture.members;
    const bobToCarol = globalId('Transfer', await pay(bob, carol, 5n));
    const aliceToBob = globalId('Transfer', await pay(alice, bob, 5n));
    await publishEverything();
    const community = { communityId: globalId('Community', fixture.community.id) };

    const seenBy = async (client: GraphqlClient, variables = community): Promise<string[]> =>
      (await readAll(client, variables, null, 100)).events.map((event) => event.subjectId);
    expect(await seenBy(fixture.as(alice))).toContain(aliceToBob);
    expect(await seenBy(fixture.as(alice))).not.toContain(bobToCarol);
    expect(await seenBy(fixture.as(alice), {} as typeof community)).not.toContain(bobToCarol);
    expect(await seenBy(fixture.as(carol))).toContain(bobToCarol);
    expect(await seenBy(fixture.as(carol))).not.toContain(aliceToBob);
    const coordinator = await seenBy(fixture.asCoordinator());
    expect(coordinator).toEqual(expect.arrayContaining([aliceToBob, bobToCarol]));

    // A community the caller has no part in is refused like one that does not exist; so is no caller at all.
    const other = await createLedgerFixture(t, [{}]);
    expectForbidden(
      await fixture.as(alice).graphql(EVENTS, { communityId: globalId('Community', other.community.id) }),
    );
    expectForbidden(await fixture.asCoordinator().graphql(EVENTS, { communityId: globalId('Community', '999999') }));
    expectQueryRefused(await t.graphql(EVENTS, {}), ErrorCode.UNAUTHENTICATED);
    // The other community's coordinator sees none of this one's events.
    expect(await seenBy(other.asCoordinator(), {} as typeof community)).not.toContain(aliceToBob);
  });

  it('serves partner apps what their scope allows: the community with audit:read, a consenting member as that member', async () => {
    const [alice, bob, carol] = fixture.members;
    const bobToCarol = globalId('Transfer', await pay(bob, carol, 1n));
    const aliceToBob = globalId('Transfer', await pay(alice, bob, 1n));
    await publishEverything();
    const coordinator = fixture.asCoordinator();
    const communityId = globalId('Community', fixture.community.id);
    const auditor = await registerPartnerApp(coordinator, communityId, ['AUDIT_READ'], 'Auditor');
    const agent = await registerPartnerApp(coordinator, communityId, ['ACT_FOR_MEMBER'], 'Agent');
    await grantPartnerConsent(fixture.as(alice), agent.partnerApp.id);

    const audited = (await readAll(asPartner(t, auditor.apiKey), {}, null, 100)).events.map((e) => e.subjectId);
    expect(audited).toEqual(expect.arrayContaining([aliceToBob, bobToCarol]));
    const forAlice = asPartner(t, agent.apiKey, fixture.holders[0].memberId);
    const actedFor = (await readAll(forAlice, {}, null, 100)).events.map((e) => e.subjectId);
    expect(actedFor).toContain(aliceToBob);
    expect(actedFor).not.toContain(bobToCarol);
    // Without audit:read, an app as itself sees nothing: refused, as the audit log refuses it.
    expectForbidden(await asPartner(t, agent.apiKey).graphql(EVENTS, {}));
  });

  it("tells a member of their own membership's changes, and no one else but the community's auditors", async () => {
    const [alice, bob] = fixture.holders;
    const membershipId = globalId('Membership', alice.membershipId);
    await gql(fixture.asCoordinator(), MUTATIONS.suspendMembership, {
      input: { membershipId, reason: 'checking the feed' },
    });
    await gql(fixture.asCoordinator(), MUTATIONS.reinstateMembership, { input: { membershipId } });
    await publishEverything();
    const variables = { communityId: globalId('Community', fixture.community.id) };
    const about = async (client: GraphqlClient): Promise<string[]> =>
      (await readAll(client, variables, null, 100)).events
        .filter((event) => event.subjectId === membershipId)
        .map((event) => event.type);
    const trail = ['membership.opened', 'membership.activated', 'membership.suspended', 'membership.activated'];
    expect(await about(fixture.as(alice.account))).toEqual(trail);
    expect(await about(fixture.asCoordinator())).toEqual(trail);
    expect(await about(fixture.as(bob.account))).toEqual([]);
    const [suspended] = (await readAll(fixture.as(alice.account), { ...variables, types: ['membership.suspended'] }))
      .events;
    expect(suspended.payload).toMatchObject({
      version: 1,
      membershipId,
      memberId: globalId('Member', alice.memberId),
      accountId: globalId('Account', alice.account.id),
      status: 'suspended',
    });
  });

  it("tells the community's active members of its listings, and no one outside it", async () => {
    const [alice, bob] = fixture.members;
    const communityId = globalId('Community', fixture.community.id);
    const listing = await postListing(fixture.as(alice), communityId, { title: 'Garden help' });
    const closed = await updateListing(fixture.as(alice), { listingId: listing.id, status: 'CLOSED' });
    expect(closed.userErrors).toEqual([]);
    await publishEverything();
    const about = async (client: GraphqlClient): Promise<EventView[]> =>
      (
        await readAll(client, { types: ['listing.created', 'listing.updated', 'listing.closed'] }, null, 100)
      ).events.filter((event) => event.subjectId === listing.id);
    const seenByBob = await about(fixture.as(bob));
    expect(seenByBob.map((event) => event.type)).toEqual(['listing.created', 'listing.closed']);
    expect(seenByBob[0].payload).toMatchObject({
      version: 1,
      listingId: listing.id,
      memberId: globalId('Member', fixture.holders[0].memberId),
      title: 'Garden help',
      status: 'active',
    });
    const outsider = await createLedgerFixture(t, [{}]);
    expect(await about(outsider.as(outsider.members[0]))).toEqual([]);
  });

  it('pages by position with nothing missed and nothing twice while events keep arriving', async () => {
    const [alice, bob] = fixture.members;
    const client = fixture.asCoordinator();
    const variables = { communityId: globalId('Community', fixture.community.id), types: ['transfer.posted'] };
    const before = await readAll(client, variables);
    const made: string[] = [];
    let cursor = before.cursor;
    const read: EventView[] = [];
    for (let round = 0; round < 4; round++) {
      made.push(globalId('Transfer', await pay(alice, bob, 1n)));
      made.push(globalId('Transfer', await pay(bob, alice, 1n)));
      await publishEverything();
      // One short page per round: the rest arrives while the reader is still behind.
      const response = await client.graphql<{ events: EventsPage }>(EVENTS, { ...variables, after: cursor, first: 1 });
      const page = response.data!.events;
      read.push(...page.edges.map((edge) => edge.node));
      cursor = page.pageInfo.endCursor ?? cursor;
    }
    const rest = await readAll(client, variables, cursor, 2);
    read.push(...rest.events);
    expect(read.map((event) => event.subjectId)).toEqual(made);
    expect(read.every((event) => event.type === 'transfer.posted')).toBe(true);
  });

  it('refuses malformed arguments with stable codes, never a 500', async () => {
    const client = fixture.asCoordinator();
    for (const variables of [
      { types: ['transfer.nonsense'] },
      { types: [] },
      { after: 'not-a-cursor' },
      { first: 0 },
      { first: 101 },
    ]) {
      expectQueryRefused(await client.graphql(EVENTS, variables), ErrorCode.BAD_USER_INPUT);
    }
  });
});

describe('the relay', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let relay: EventRelaySweeper;

  beforeAll(async () => {
    relay = t.app.get(EventRelaySweeper);
    fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
  });

  const positionOf = async (id: string): Promise<string | null> =>
    (await t.dataSource.query('SELECT position FROM outbox_events WHERE id = $1', [id]))[0].position;

  it('publishes a transaction that took an early id and committed late after what it saw, never skipping it', async () => {
    const [alice, bob] = fixture.members;
    await waitUntil('the backlog is published', async () => {
      await relay.sweep();
      const [{ waiting }] = await t.dataSource.query(
        'SELECT count(*)::int AS waiting FROM outbox_events WHERE position IS NULL',
      );
      return waiting === 0;
    });
    const [{ seen }] = await t.dataSource.query('SELECT max(position) AS seen FROM outbox_events');

    // A long transaction takes its id first and holds it.
    const late = new pg.Client({ connectionString: testDatabaseUrl() });
    await late.connect();
    try {
      await late.query('BEGIN');
      const [{ id: lateId }] = (
        await late.query(
          `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, community_visible)
           VALUES ('ledger.checkpoint', 'ledger_checkpoint', '0', $1, '{}', true) RETURNING id`,
          [fixture.community.id],
        )
      ).rows;
      // A later id commits first.
      const transfer = await transferBy(t.ledger, alice, bob, 1n);
      const [{ id: earlyCommitId }] = await t.dataSource.query(
        `SELECT id FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = $1`,
        [transfer],
      );
      expect(BigInt(earlyCommitId)).toBeGreaterThan(BigInt(lateId));
      // While the early id's transaction runs, nothing after it is published: a reader could not be passed by it.
      await relay.sweep();
      expect(await positionOf(earlyCommitId)).toBeNull();
      await late.query('COMMIT');
      await waitUntil('both are published', async () => {
        await relay.sweep();
        return (await positionOf(earlyCommitId)) !== null && (await positionOf(lateId)) !== null;
      });
      const latePosition = BigInt((await positionOf(lateId))!);
      const earlyPosition = BigInt((await positionOf(earlyCommitId))!);
      // Both above everything published before; in id order between themselves.
      expect(latePosition).toBeGreaterThan(BigInt(seen));
      expect(earlyPosition).toBeGreaterThan(latePosition);
    } finally {
      await late.end();
    }
  });

  it('is not held back by a long transaction of another database on the same server', async () => {
    const [alice, bob] = fixture.members;
    const elsewhere = new pg.Client({ connectionString: withDatabaseName(testDatabaseUrl(), 'postgres') });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()'); // it now holds a transaction id, as a write would
      const transfer = await transferBy(t.ledger, alice, bob, 1n);
      const [{ id }] = await t.dataSource.query(
        `SELECT id FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = $1`,
        [transfer],
      );
      await waitUntil('published while the other database’s transaction runs', async () => {
        await relay.sweep();
        return (await positionOf(id)) !== null;
      });
    } finally {
      await elsewhere.end();
    }
  });

  it('takes turns across replicas: relays racing hand out each position once, gapless, in id order', async () => {
    const [alice, bob] = fixture.members;
    const [{ before }] = await t.dataSource.query('SELECT coalesce(max(position), 0) AS before FROM outbox_events');
    for (let i = 0; i < 30; i++) await transferBy(t.ledger, alice, bob, 1n);
    // Six relays at once, as six replicas' sweeps, each publishing a few at a time.
    const relays = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const client = new pg.Client({ connectionString: testDatabaseUrl() });
        await client.connect();
        return client;
      }),
    );
    try {
      await waitUntil('everything is published', async () => {
        await Promise.all(relays.map((client) => client.query('SELECT events_publish(4)')));
        const [{ waiting }] = await t.dataSource.query(
          'SELECT count(*)::int AS waiting FROM outbox_events WHERE position IS NULL',
        );
        return waiting === 0;
      });
    } finally {
      await Promise.all(relays.map((client) => client.end()));
    }
    const rows = await t.dataSource.query<{ id: string; position: string }[]>(
      'SELECT id, position FROM outbox_events WHERE position > $1 ORDER BY position',
      [before],
    );
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.map((row) => BigInt(row.position))).toEqual(rows.map((_, index) => BigInt(before) + BigInt(index + 1)));
    const ids = rows.map((row) => BigInt(row.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('stamps nothing when its transaction rolls back: the next relay publishes the same events', async () => {
    const [alice, bob] = fixture.members;
    const transfer = await transferBy(t.ledger, alice, bob, 1n);
    const [{ id }] = await t.dataSource.query(
      `SELECT id FROM outbox_events WHERE aggregate_type = 'transfer' AND aggregate_id = $1`,
      [transfer],
    );
    const crashed = new pg.Client({ connectionString: testDatabaseUrl() });
    await crashed.connect();
    try {
      await crashed.query('BEGIN');
      await waitUntil('the relay stamps it in its transaction', async () => {
        await crashed.query('SELECT events_publish(100000)');
        return (
          (await crashed.query('SELECT position FROM outbox_events WHERE id = $1', [id])).rows[0].position !== null
        );
      });
      await crashed.query('ROLLBACK');
    } finally {
      await crashed.end();
    }
    expect(await positionOf(id)).toBeNull();
    await waitUntil('the next relay publishes it', async () => {
      await relay.sweep();
      return (await positionOf(id)) !== null;
    });
  });

  it("lets the publication fill in a transfer's event once, and no other event's, not even as the owner", async () => {
    const [alice, bob] = fixture.members;
    const transfer = await transferBy(t.ledger, alice, bob, 1n);
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    /** The error code of `sql` (or 'done'), tried in a savepoint of the owner's open transaction. */
    const attempt = async (sql: string, params: unknown[]): Promise<string | undefined> => {
      await owner.query('SAVEPOINT attempt');
      try {
        await owner.query(sql, params);
        await owner.query('RELEASE SAVEPOINT attempt');
        return 'done';
      } catch (error) {
        await owner.query('ROLLBACK TO SAVEPOINT attempt');
        return (error as { code?: string }).code;
      }
    };
    const publishAs = (assignments: string) =>
      `UPDATE outbox_events SET position = 9000000000000000000 + id, published_at = now()${assignments} WHERE id = $1`;
    try {
      // Events of this open transaction: no relay can publish them before its ROLLBACK.
      await owner.query('BEGIN');
      const [{ id: waiting }] = (
        await owner.query(
          `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id) VALUES ('transfer.posted', 'transfer', $1) RETURNING id`,
          [transfer],
        )
      ).rows;
      const [{ id: checkpoint }] = (
        await owner.query(
          `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, community_visible)
           VALUES ('ledger.checkpoint', 'ledger_checkpoint', '0', $1, '{}', true) RETURNING id`,
          [fixture.community.id],
        )
      ).rows;
      const CHECK_VIOLATION = '23514';
      // Filled in only by its publication, and never published without it.
      expect(await attempt(`UPDATE outbox_events SET payload = '{}' WHERE id = $1`, [waiting])).toBe('PL001');
      expect(await attempt(publishAs(''), [waiting])).toBe(CHECK_VIOLATION);
      expect(await attempt(publishAs(`, payload = '{}', topic = 'transfer.voided'`), [waiting])).toBe('PL001');
      expect(
        await attempt(publishAs(`, payload = '{}', community_id = $2, member_ids = '{1}'`), [
          waiting,
          fixture.community.id,
        ]),
      ).toBe('done');
      expect(await attempt(`UPDATE outbox_events SET payload = '{"amount": "2"}' WHERE id = $1`, [waiting])).toBe(
        'PL001',
      );
      // An event written whole keeps what it was written with.
      expect(await attempt(publishAs(`, payload = '{"forged": true}'`), [checkpoint])).toBe('PL001');
      expect(await attempt(publishAs(`, member_ids = '{1}'`), [checkpoint])).toBe('PL001');
      expect(await attempt(publishAs(`, community_id = NULL`), [checkpoint])).toBe('PL001');
      expect(
        await attempt(
          `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id) VALUES ('exchange.accepted', 'exchange', '1', $1)`,
          [fixture.community.id],
        ),
      ).toBe(CHECK_VIOLATION);
    } finally {
      await owner.query('ROLLBACK');
      await owner.end();
    }
  });

  it('lets nothing change an event but its one stamp, not even the owner', async () => {
    const [{ id }] = await t.dataSource.query('SELECT id FROM outbox_events WHERE position IS NOT NULL LIMIT 1');
    for (const sql of [
      'UPDATE outbox_events SET position = position + 1000000 WHERE id = $1',
      'UPDATE outbox_events SET payload = $$ {} $$ WHERE id = $1',
      'UPDATE outbox_events SET member_ids = $$ {1} $$ WHERE id = $1',
      'DELETE FROM outbox_events WHERE id = $1',
    ]) {
      await expect(ownerQuery(testDatabaseUrl(), sql, [id])).rejects.toMatchObject({ code: 'PL001' });
    }
  });
});
