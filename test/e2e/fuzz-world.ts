import { randomUUID } from 'node:crypto';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, TestApp } from '../support/test-app.js';
import { FuzzPools, GOOD_PASSWORD } from './schema-fuzz.js';

/**
 * The objects the schema fuzz aims its ids at: member A (who sends most requests), member B of the
 * same community, its coordinator, and two members of another community, each with accounts,
 * transfers (posted and pending), listings, exchanges in several states, a partner app, a
 * verification run and a checkpoint. Everything is made through the services and the API as its
 * owner would, never by registration, so that per-address rate limits on registering cannot starve it.
 */

export type CallerName = 'memberA' | 'coordinator' | 'admin' | 'anonymous';

export interface FuzzWorld {
  /** The member id behind each caller; null for the anonymous one. */
  callers: Record<CallerName, string | null>;
  pools: FuzzPools;
  home: LedgerFixture;
  away: LedgerFixture;
  /** Why an object the fuzz would like to aim at could not be made: reported, so that a gap is visible. */
  gaps: string[];
}

/** Owners as failure messages name them. The caller's own objects start with "A ", which the generator favours. */
const OWNER = {
  a: 'A (the caller)',
  b: 'B (same community)',
  coordinator: 'coordinator of A',
  c: 'C (other community)',
  d: 'D (other community)',
};

class WorldBuilder {
  readonly ids: FuzzPools['ids'] = {};
  readonly strings: FuzzPools['strings'] = {};
  readonly gaps: string[] = [];

  addId(kind: string, id: string | undefined | null, owner: string): void {
    if (id) (this.ids[kind] ??= []).push({ id: String(id), owner });
  }

  addString(name: string, ...values: (string | undefined | null)[]): void {
    for (const value of values) if (value) (this.strings[name] ??= []).push(value);
  }

  /** Runs one GraphQL call of the setup and returns its data; a failure is noted as a gap, not fatal. */
  async call(
    what: string,
    client: GraphqlClient,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<any> {
    try {
      const response = await client.graphql(query, variables);
      const payload = response.data && Object.values(response.data)[0];
      const refusal = response.errors?.[0]?.extensions?.code ?? payload?.userErrors?.[0]?.code;
      if (refusal) this.gaps.push(`${what}: ${refusal}`);
      return payload;
    } catch (error) {
      this.gaps.push(`${what}: ${String(error)}`);
      return undefined;
    }
  }
}

const TRANSFER =
  'mutation($input: CreateTransferInput!) { createTransfer(input: $input) { transfer { id } userErrors { code } } }';
const LISTING =
  'mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } userErrors { code } } }';
const PROPOSE =
  'mutation($input: ProposeExchangeInput!) { proposeExchange(input: $input) { exchange { id } userErrors { code } } }';
const STEP = (name: string, inputType: string): string =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { exchange { id status } userErrors { code } } }`;
const GROUP =
  'mutation($input: ProposeGroupExchangeInput!) { proposeGroupExchange(input: $input) { group { id } userErrors { code } } }';
const PARTNER_APP =
  'mutation($input: RegisterPartnerAppInput!) { registerPartnerApp(input: $input) { partnerApp { id } } }';
const VERIFY = 'mutation($communityId: ID!) { runLedgerVerification(communityId: $communityId) { id } }';
const CHECKPOINT = 'mutation($communityId: ID!) { recordLedgerCheckpoint(communityId: $communityId) { id } }';
const INVITE =
  'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { invitationToken userErrors { code } } }';
const CATEGORIES = '{ listingCategories { slug } }';
const PAGE = 'query($accountId: ID) { transfers(accountId: $accountId, first: 1) { pageInfo { endCursor } } }';

const transferInput = (from: string, to: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  idempotencyKey: `world-${randomUUID()}`,
  debitAccountId: from,
  creditAccountId: to,
  amount: '30',
  ...extra,
});

/** One community's ledger objects: a posted and a pending payment from its first member to its second, and its system accounts. */
async function addLedger(world: WorldBuilder, fixture: LedgerFixture, owners: [string, string]): Promise<void> {
  const [first, second] = fixture.members;
  world.addId('Community', fixture.community.id, owners[0]);
  world.addId('Currency', fixture.currency.id, owners[0]);
  fixture.holders.forEach((holder, index) => {
    world.addId('Account', holder.account.id, owners[index]);
    world.addId('Member', holder.memberId, owners[index]);
    world.addId('Membership', holder.membershipId, owners[index]);
  });
  world.addId('Account', fixture.coordinator.account.id, `coordinator of ${owners[0]}`);
  world.addId('Member', fixture.coordinator.memberId, `coordinator of ${owners[0]}`);
  world.addId('Membership', fixture.coordinator.membershipId, `coordinator of ${owners[0]}`);
  world.addId('Account', fixture.issuance.id, `issuance of ${owners[0]}`);
  world.addId('Account', fixture.pool.id, `pool of ${owners[0]}`);
  world.addString('slug', fixture.community.slug);
  const payer = fixture.as(first);
  const posted = await world.call('posted transfer', payer, TRANSFER, {
    input: transferInput(first.id, second.id, { metadata: { note: 'world' } }),
  });
  world.addId('Transfer', posted?.transfer?.id, owners[0]);
  for (const label of ['pending transfer', 'second pending transfer']) {
    const pending = await world.call(label, payer, TRANSFER, {
      input: transferInput(first.id, second.id, { pending: true, timeoutSeconds: 86_400 }),
    });
    world.addId('Transfer', pending?.transfer?.id, owners[0]);
  }
  const back = await world.call('transfer back', fixture.as(second), TRANSFER, {
    input: transferInput(second.id, fixture.coordinator.account.id),
  });
  world.addId('Transfer', back?.transfer?.id, owners[1]);
}

/** Listings of both members, and exchanges between them in the states the workflow's mutations act on. */
async function addExchanges(world: WorldBuilder, fixture: LedgerFixture, owners: [string, string]): Promise<void> {
  const [receiver, provider] = fixture.members;
  const asReceiver = fixture.as(receiver);
  const asProvider = fixture.as(provider);
  const listingInput = {
    communityId: fixture.community.id,
    kind: 'OFFER',
    nature: 'SERVICE',
    title: 'Help in the garden',
    category: 'gardening',
    pricing: 'PER_HOUR',
    price: '60',
  };
  const own = await world.call('listing of the receiver', asReceiver, LISTING, {
    input: { ...listingInput, title: '자전거 수리해요' },
  });
  world.addId('Listing', own?.listing?.id, owners[0]);
  const offered = await world.call('listing of the provider', asProvider, LISTING, { input: listingInput });
  world.addId('Listing', offered?.listing?.id, owners[1]);
  if (!offered?.listing) return;
  const propose = async (state: string): Promise<string | undefined> =>
    (
      await world.call(`${state} exchange`, asReceiver, PROPOSE, {
        input: { listingId: offered.listing.id, estimatedAmount: '60', description: state },
      })
    )?.exchange?.id;
  const step = (
    state: string,
    client: GraphqlClient,
    name: string,
    inputType: string,
    input: Record<string, unknown>,
  ): Promise<unknown> => world.call(`${state} exchange, ${name}`, client, STEP(name, inputType), { input });
  const proposed = await propose('proposed');
  const accepted = await propose('accepted');
  const delivered = await propose('delivered');
  const confirmed = await propose('confirmed');
  for (const id of [accepted, delivered, confirmed])
    if (id) await step('accepted', asProvider, 'acceptExchange', 'ExchangeActionInput', { exchangeId: id });
  for (const id of [delivered, confirmed])
    if (id)
      await step('delivered', asProvider, 'markExchangeDelivered', 'MarkDeliveredInput', {
        exchangeId: id,
        actualAmount: '45',
      });
  if (confirmed)
    await step('confirmed', asReceiver, 'confirmExchange', 'ConfirmExchangeInput', { exchangeId: confirmed });
  for (const id of [proposed, accepted, delivered, confirmed]) world.addId('Exchange', id, owners[0]);
  const group = await world.call('exchange group', asProvider, GROUP, {
    input: {
      listingId: offered.listing.id,
      estimatedAmount: '60',
      description: 'class',
      receiverIds: [fixture.holders[0].memberId, fixture.coordinator.memberId],
    },
  });
  world.addId('ExchangeGroup', group?.group?.id, owners[1]);
}

/** What a community's coordinator makes: a partner app, a verification run, a checkpoint, an invitation. */
async function addCoordination(world: WorldBuilder, fixture: LedgerFixture, owner: string): Promise<void> {
  const coordinator = fixture.asCoordinator();
  const communityId = fixture.community.id;
  const app = await world.call('partner app', coordinator, PARTNER_APP, {
    input: { communityId, name: 'Fuzz partner', scopes: ['ACT_FOR_MEMBER', 'AUDIT_READ'] },
  });
  world.addId('PartnerApp', app?.partnerApp?.id, owner);
  world.addId(
    'VerificationRun',
    (await world.call('verification run', coordinator, VERIFY, { communityId }))?.id,
    owner,
  );
  const checkpoints = await world.call('checkpoint', coordinator, CHECKPOINT, { communityId });
  for (const checkpoint of checkpoints ?? []) world.addId('LedgerCheckpoint', checkpoint.id, owner);
  const invitation = await world.call('invitation', coordinator, INVITE, {
    input: { communityId, displayName: 'Invitee', email: `invitee-${randomUUID().slice(0, 8)}@fuzz.example` },
  });
  world.addString('token', invitation?.invitationToken);
}

/** Sessions of each member, by id, for the session mutations to aim at. */
async function addSessions(world: WorldBuilder, t: TestApp, members: [string, string][]): Promise<void> {
  for (const [memberId, owner] of members) {
    const rows: { id: string }[] = await t.dataSource.query(
      'SELECT id FROM sessions WHERE member_id = $1 ORDER BY id LIMIT 1',
      [memberId],
    );
    world.addId('Session', rows[0]?.id, owner);
  }
}

export async function buildWorld(t: TestApp): Promise<FuzzWorld> {
  const world = new WorldBuilder();
  // A has a large balance so that hundreds of valid payments go through; B and the other community have enough for the setup.
  const home = await createLedgerFixture(t, [{ balance: 10_000_000n }, { balance: 100_000n }]);
  const away = await createLedgerFixture(t, [{ balance: 100_000n }, { balance: 100_000n }]);
  const adminEmail = `fuzz-admin-${randomUUID().slice(0, 8)}@fuzz.example`;
  const { member: admin } = await t.members.bootstrapAdmin(adminEmail, GOOD_PASSWORD, 'Fuzz admin');

  await addLedger(world, home, [OWNER.a, OWNER.b]);
  await addLedger(world, away, [OWNER.c, OWNER.d]);
  await addExchanges(world, home, [OWNER.a, OWNER.b]);
  await addExchanges(world, away, [OWNER.c, OWNER.d]);
  await addCoordination(world, home, OWNER.coordinator);
  await addCoordination(world, away, `coordinator of ${OWNER.c}`);
  await addSessions(world, t, [
    [home.holders[0].memberId, OWNER.a],
    [home.holders[1].memberId, OWNER.b],
    [away.holders[0].memberId, OWNER.c],
  ]);
  world.addId('Member', admin.id, 'admin');

  world.addString('email', adminEmail, `member1-x@test.example`);
  world.addString('password', GOOD_PASSWORD);
  world.addString('currentPassword', GOOD_PASSWORD);
  world.addString('refreshToken', (await t.identity.startSession(home.holders[0].memberId)).refreshToken);
  world.addString('code', 'payment', 'fuzz_case');
  world.addString('action', 'ledger.grant', 'exchange.', 'membership.approve');
  world.addString('targetType', 'transfer', 'account', 'exchange');
  world.addString('currencyCode', 'HOUR', 'MUN');
  // A cursor as a client holds one: the end of a real first page.
  const page = await world.call('a page of transfers', home.as(home.members[0]), PAGE, {
    accountId: home.members[0].id,
  });
  world.addString('after', page?.pageInfo?.endCursor);
  const categories = await world.call('categories', t, CATEGORIES);
  world.addString('category', ...(categories ?? []).map((category: { slug: string }) => category.slug));

  return {
    callers: {
      memberA: home.holders[0].memberId,
      coordinator: home.coordinator.memberId,
      admin: admin.id,
      anonymous: null,
    },
    pools: { ids: world.ids, strings: world.strings },
    home,
    away,
    gaps: world.gaps,
  };
}

/**
 * Whether A and A's coordinator can still act as themselves: a fuzzed call may suspend or close A's
 * membership, freeze A's account, or (as the admin) appoint A a coordinator, after which valid
 * requests would be refused before reaching the code, or "as member A" would no longer be true.
 */
export async function worldIsUsable(t: TestApp, world: FuzzWorld): Promise<boolean> {
  const expected = [
    [world.home.holders[0].membershipId, 'member'],
    [world.home.coordinator.membershipId, 'coordinator'],
  ];
  const rows: { id: string; role: string }[] = await t.dataSource.query(
    `SELECT m.id::text AS id, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.id = ANY($1::bigint[]) AND m.status = 'active' AND a.status = 'open'`,
    [expected.map(([id]) => id)],
  );
  return expected.every(([id, role]) => rows.some((row) => row.id === String(id) && row.role === role));
}
