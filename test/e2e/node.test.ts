import { ErrorCode } from '../../libs/graphql/error-code.js';
import { databaseIdOf, globalId } from '../support/global-ids.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { grantPartnerConsent, registerPartnerApp } from './auth-client.js';
import { NONEXISTENT_ID } from './denials.js';
import { Party, proposedExchange } from './exchange-client.js';
import { createTransfer, gql, transferInput } from './graphql-client.js';
import { postListing } from './listing-client.js';

/**
 * Relay object identification over HTTP: `node`/`nodes` load each Node type under the rules of its
 * own query, and answer null for what the caller may not see, what does not exist, and what is
 * not a global id of a Node; every id read can be passed back; bare ids still work as input.
 */

const NODE = `query Node($id: ID!) { node(id: $id) { __typename id ... on Account { databaseId balance } ... on Member { databaseId displayName } } }`;
const NODES = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

interface NodeView {
  __typename: string;
  id: string;
  databaseId?: string;
}

async function node(client: GraphqlClient, id: string): Promise<NodeView | null> {
  return (await gql<{ node: NodeView | null }>(client, NODE, { id })).node;
}

describe('Global ids and node(id:)', () => {
  const t = useTestApp();
  let home: LedgerFixture;
  let away: LedgerFixture;
  /** Two members of `home`, with clients. */
  let alice: Party;
  let bob: Party;
  /** A member of another community: sees nothing of `home` but what is public. */
  let outsider: GraphqlClient;
  /** Type name → [database id of an object alice may see, of one the outsider may not]. */
  const objects: Record<string, { databaseId: string; hiddenFromOutsider: boolean }> = {};

  beforeAll(async () => {
    home = await createLedgerFixture(t, [{ balance: 600n }, { balance: 600n }, { balance: 0n }]);
    away = await createLedgerFixture(t, [{}]);
    [alice, bob] = home.holders.map((holder) => ({
      memberId: holder.memberId,
      accountId: holder.account.id,
      client: t.as(holder.token),
    }));
    outsider = t.as(away.holders[0].token);

    const transfer = await createTransfer(alice.client, transferInput(alice.accountId, bob.accountId, 60));
    const listing = await postListing(bob.client, home.community.id);
    const exchange = await proposedExchange(alice, bob, home.community.id, 60);
    const group = (
      await gql<{ proposeGroupExchange: { group: { id: string } } }>(
        bob.client,
        `mutation G($input: ProposeGroupExchangeInput!) { proposeGroupExchange(input: $input) { group { id } } }`,
        {
          input: {
            communityId: home.community.id,
            receiverIds: [alice.memberId, home.holders[2].memberId],
            estimatedAmount: '60',
            description: 'Kimchi class',
          },
        },
      )
    ).proposeGroupExchange.group;
    const { sessions } = await gql<{ sessions: { id: string }[] }>(alice.client, 'query { sessions { id } }');
    const { partnerApp } = await registerPartnerApp(home.asCoordinator(), home.community.id, ['ACT_FOR_MEMBER']);
    expect(await grantPartnerConsent(alice.client, partnerApp.id)).toBe(true);
    const { partnerConsents } = await gql<{ partnerConsents: { id: string }[] }>(
      alice.client,
      'query { partnerConsents { id } }',
    );

    for (const [typeName, databaseId, hiddenFromOutsider] of [
      ['Account', alice.accountId, true],
      ['Member', bob.memberId, true],
      ['Membership', home.holders[0].membershipId, true],
      ['Community', home.community.id, false],
      ['Currency', home.currency.id, false],
      ['Transfer', databaseIdOf('Transfer', transfer.transfer!.id), true],
      ['Listing', databaseIdOf('Listing', listing.id), true],
      ['Exchange', databaseIdOf('Exchange', exchange.id), true],
      ['ExchangeGroup', databaseIdOf('ExchangeGroup', group.id), true],
      ['Session', databaseIdOf('Session', sessions[0].id), true],
      ['PartnerConsent', databaseIdOf('PartnerConsent', partnerConsents[0].id), true],
    ] as const)
      objects[typeName] = { databaseId, hiddenFromOutsider };
  });

  it('loads every Node type it may see, by the id the API gave', async () => {
    for (const [typeName, { databaseId }] of Object.entries(objects)) {
      const id = globalId(typeName, databaseId);
      expect({ typeName, found: await node(alice.client, id) }).toEqual({
        typeName,
        found: expect.objectContaining({ __typename: typeName, id }),
      });
    }
  });

  it('answers null for what the caller may not see, as its own query would refuse', async () => {
    for (const [typeName, { databaseId, hiddenFromOutsider }] of Object.entries(objects)) {
      const found = await node(outsider, globalId(typeName, databaseId));
      expect({ typeName, found: found?.__typename ?? null }).toEqual({
        typeName,
        found: hiddenFromOutsider ? null : typeName,
      });
    }
    // The account query itself refuses the outsider, whether or not the account exists.
    const refused = await outsider.graphql('query A($id: ID!) { account(id: $id) { id } }', {
      id: globalId('Account', alice.accountId),
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);
  });

  it('answers null for unknown, wrong-type, malformed and bare ids', async () => {
    for (const typeName of Object.keys(objects))
      expect({ typeName, found: await node(alice.client, globalId(typeName, NONEXISTENT_ID)) }).toEqual({
        typeName,
        found: null,
      });
    for (const id of [
      globalId('Posting', '1'), // a type node does not load
      globalId('Nonsense', alice.accountId),
      'not a global id',
      '',
      alice.accountId, // bare ids are for inputs of a known type only
      globalId('Account', '0'),
    ])
      expect({ id, found: await node(alice.client, id) }).toEqual({ id, found: null });
  });

  it('answers nodes in the order asked, null where node would be null', async () => {
    const ids = [
      globalId('Member', bob.memberId),
      globalId('Member', NONEXISTENT_ID),
      globalId('Account', alice.accountId),
      globalId('Account', away.holders[0].account.id),
    ];
    const { nodes } = await gql<{ nodes: (NodeView | null)[] }>(alice.client, NODES, { ids });
    expect(nodes).toEqual([{ __typename: 'Member', id: ids[0] }, null, { __typename: 'Account', id: ids[2] }, null]);
    const tooMany = await alice.client.graphql(NODES, { ids: Array.from({ length: 101 }, () => ids[0]) });
    expect(tooMany.errors?.map((error) => error.extensions?.code)).toEqual([ErrorCode.BAD_USER_INPUT]);
  });

  it('gives databaseId as the bare row number, beside the global id', async () => {
    const account = await node(alice.client, globalId('Account', alice.accountId));
    expect(account).toMatchObject({ id: globalId('Account', alice.accountId), databaseId: alice.accountId });
    const [row] = await t.dataSource.query<{ id: string }[]>('SELECT id::text FROM members WHERE id = $1', [
      bob.memberId,
    ]);
    expect((await node(alice.client, globalId('Member', bob.memberId)))?.databaseId).toBe(row.id);
  });

  it('round-trips: ids read from the API are what mutations and queries take', async () => {
    const { me } = await gql<{ me: { id: string; memberships: { accountId: string }[] } }>(
      alice.client,
      'query { me { id memberships { accountId } } }',
    );
    expect(me.id).toBe(globalId('Member', alice.memberId));
    const from = me.memberships[0].accountId;
    expect(from).toBe(globalId('Account', alice.accountId));
    const payload = await createTransfer(alice.client, transferInput(from, globalId('Account', bob.accountId), 5));
    expect(payload.userErrors).toEqual([]);
    const transfer = payload.transfer!;
    expect(transfer).toMatchObject({ debitAccountId: from, creditAccountId: globalId('Account', bob.accountId) });
    const { transfer: again } = await gql<{ transfer: { id: string; debitAccountId: string } }>(
      bob.client,
      'query T($id: ID!) { transfer(id: $id) { id debitAccountId } }',
      { id: transfer.id },
    );
    expect(again).toEqual({ id: transfer.id, debitAccountId: from });
  });

  it('still takes bare database ids as input, and answers a wrong-type id as an unknown one', async () => {
    const bare = await createTransfer(alice.client, transferInput(alice.accountId, bob.accountId, 5));
    expect(bare.userErrors).toEqual([]);
    expect(bare.transfer?.debitAccountId).toBe(globalId('Account', alice.accountId));

    const answers = async (debitAccountId: string) => {
      const response = await alice.client.graphql(
        'mutation C($input: CreateTransferInput!) { createTransfer(input: $input) { transfer { id } userErrors { code } } }',
        { input: transferInput(debitAccountId, bob.accountId, 5) },
      );
      return { data: response.data, codes: response.errors?.map((error) => error.extensions?.code) };
    };
    const unknown = await answers(globalId('Account', NONEXISTENT_ID));
    expect(unknown.codes ?? unknown.data).toBeDefined();
    for (const other of [globalId('Member', alice.memberId), 'not a global id', globalId('Account', 'x')])
      expect({ other, answer: await answers(other) }).toEqual({ other, answer: unknown });
    // The member query answers the same way: a wrong-type id is refused as an unknown one.
    const asMember = await alice.client.graphql('query M($id: ID!) { member(id: $id) { id } }', {
      id: globalId('Account', bob.memberId),
    });
    expect(asMember.errors?.map((error) => error.extensions?.code)).toEqual([ErrorCode.FORBIDDEN]);
  });
});
