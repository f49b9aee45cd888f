import { globalId } from '../support/global-ids.js';
import { randomUUID } from 'node:crypto';
import { Execute, typedClient } from '../contract/client.js';
import {
  AccountStatementDocument,
  CommunitiesDocument,
  CreateTransferDocument,
  EventsSinceDocument,
  ListingsWithAuthorsDocument,
  LoginDocument,
  MeDocument,
  ProposeExchangeDocument,
  RegisterDocument,
  TransfersDocument,
} from '../contract/generated/graphql.js';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import { GOOD_PASSWORD, uniqueEmail } from './auth-client.js';
import { postListing } from './listing-client.js';

/** docs/scalars.md: a DateTime is served in UTC, to the millisecond. */
const SERVED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The operations partners send (test/contract/operations/), as the client generated from
 * schema.gql sends them: no GraphQL library but graphql's `print`, every result typed by its
 * document. That these files compile is half the test; the other half is that the server answers
 * in exactly the types the client was promised.
 */
describe('the typed client generated from schema.gql', () => {
  const t = useTestApp();
  const as = (token?: string): Execute =>
    typedClient(`${t.url}/graphql`, token ? { authorization: `Bearer ${token}` } : {});

  it('registers, logs in and reads who it is', async () => {
    const anonymous = as();
    const email = uniqueEmail('typed');
    const registered = await anonymous(RegisterDocument, {
      input: { email, password: GOOD_PASSWORD, displayName: 'Typed client' },
    });
    expect(registered.data?.register.userErrors).toEqual([]);

    const { data } = await anonymous(LoginDocument, { input: { email, password: GOOD_PASSWORD } });
    const tokens = data?.login.tokens;
    if (!tokens) throw new Error(`login refused: ${JSON.stringify(data?.login.userErrors)}`);
    expect(tokens.accessTokenExpiresAt).toMatch(SERVED_DATE_TIME);

    const me = await as(tokens.accessToken)(MeDocument);
    expect(me).toEqual({
      data: { me: { id: tokens.memberId, email, displayName: 'Typed client', memberships: [] } },
    });
  });

  it('pages through the communities a sign-up screen offers, with their count', async () => {
    await createLedgerFixture(t, []);
    const { data } = await as()(CommunitiesDocument, { first: 1 });
    const page = data?.communitiesConnection;
    expect(page?.edges).toHaveLength(1);
    expect(page?.totalCount).toBeGreaterThanOrEqual(1);
    expect(page?.pageInfo.hasNextPage).toBe((page?.totalCount ?? 0) > 1);
  });

  it('gets an error it can tell apart by code, and no data, without credentials', async () => {
    const { data, errors } = await as()(MeDocument);

    expect(data).toBeNull();
    expect(errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('pays, and finds the payment in its statement and transfers, each scalar in its documented form', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [payer, payee] = fixture.members;
    const pay = as(fixture.holders[0].token);
    const idempotencyKey = randomUUID();

    const created = await pay(CreateTransferDocument, {
      input: {
        idempotencyKey,
        debitAccountId: payer.id,
        creditAccountId: payee.id,
        amount: '30',
        metadata: { task: 'weeding', hours: 2 },
      },
    });

    expect(created.data?.createTransfer).toMatchObject({ replayed: false, userErrors: [] });
    const transfer = created.data?.createTransfer.transfer;
    expect(transfer).toMatchObject({
      idempotencyKey,
      kind: 'DIRECT',
      amount: '30',
      code: 'payment',
      metadata: { task: 'weeding', hours: 2 },
      postings: [{ accountId: globalId('Account', payer.id), accountVersion: '2', amount: '-30', balanceAfter: '70' }],
    });
    expect(transfer?.createdAt).toMatch(SERVED_DATE_TIME);

    const statement = await pay(AccountStatementDocument, { accountId: payer.id, first: 10 });
    expect(statement.data?.accountStatement).toMatchObject({
      from: null,
      openingBalance: '0',
      debits: '30',
      credits: '100',
      closingBalance: '70',
      lineCount: 2,
      lines: { totalCount: 2, pageInfo: { hasNextPage: false } },
    });
    const lines = statement.data?.accountStatement.lines.edges.map(({ node }) => node);
    expect(lines?.map((line) => [line.accountVersion, line.amount, line.balanceAfter])).toEqual([
      ['1', '100', '100'],
      ['2', '-30', '70'],
    ]);

    const transfers = await pay(TransfersDocument, { accountId: payer.id, first: 1 });
    expect(transfers.data?.transfers.edges.map(({ node }) => node)).toEqual([transfer]);
  });

  it('catches up on the event feed: the payment, as a transfer.posted event with global ids', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [payer, payee] = fixture.members;
    const pay = as(fixture.holders[0].token);
    const created = await pay(CreateTransferDocument, {
      input: { idempotencyKey: randomUUID(), debitAccountId: payer.id, creditAccountId: payee.id, amount: '7' },
    });
    const transferId = created.data?.createTransfer.transfer?.id;
    const relay = t.app.get(EventRelaySweeper);
    let events: { type: string; subjectId: string; payload: Record<string, unknown>; occurredAt: unknown }[] = [];
    await waitUntil('the relay published the payment', async () => {
      await relay.sweep();
      const { data } = await pay(EventsSinceDocument, { first: 100, types: ['transfer.posted'] });
      events = data?.events.edges.map(({ node }) => node) ?? [];
      return events.some((event) => event.subjectId === transferId);
    });
    const event = events.find((candidate) => candidate.subjectId === transferId);
    expect(event).toMatchObject({
      type: 'transfer.posted',
      payload: { version: 1, transferId, amount: '7', debitAccountId: globalId('Account', payer.id) },
    });
    expect(event?.occurredAt).toMatch(SERVED_DATE_TIME);
  });

  it('proposes an exchange, sending an Amount as a JSON integer and reading it back as a string', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [receiver, provider] = fixture.holders;

    const { data } = await as(receiver.token)(ProposeExchangeDocument, {
      input: {
        communityId: fixture.community.id,
        counterpartyId: provider.memberId,
        role: 'RECEIVER',
        estimatedAmount: 60,
      },
    });

    expect(data?.proposeExchange).toEqual({
      exchange: {
        id: expect.any(String),
        status: 'PROPOSED',
        estimatedAmount: '60',
        proposerId: globalId('Member', receiver.memberId),
        providerId: globalId('Member', provider.memberId),
        receiverId: globalId('Member', receiver.memberId),
        createdAt: expect.stringMatching(SERVED_DATE_TIME),
        dueAt: null,
      },
      userErrors: [],
    });
  });

  it('reads a page of listings with each author and community in the same request', async () => {
    const fixture = await createLedgerFixture(t, [{}, {}]);
    const [author, reader] = fixture.holders;
    const listing = await postListing(t.as(author.token), fixture.community.id);

    const { data } = await as(reader.token)(ListingsWithAuthorsDocument, {
      communityId: fixture.community.id,
      first: 10,
    });

    expect(data?.listings.edges.map(({ node }) => node)).toEqual([
      {
        id: listing.id,
        title: listing.title,
        price: listing.price,
        member: { id: globalId('Member', author.memberId), displayName: expect.any(String) },
        community: { slug: fixture.community.slug, name: fixture.community.name },
      },
    ]);
  });
});
