import { globalId } from '../support/global-ids.js';
import { LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import {
  accept,
  confirm,
  deliver,
  exchangeCommunity,
  offerService,
  Party,
  proposeOn,
  reviewExchange,
} from './exchange-client.js';
import { createTransfer, gql, newKey, transferInput } from './graphql-client.js';
import { succeed } from './member-client.js';

/** An object beside its id, as a client selects it. */
type Named = { id: string } | null;

/**
 * The object fields beside the ids (`Listing.member` beside `Listing.memberId`, and so on), over
 * HTTP: each names the object of the id beside it, and shows no more than the root query for that
 * object would show the caller (`member(id)`, `account(id)`, `transfer(id)`, `exchange(id)`).
 */
describe('objects beside their ids', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let receiver: Party;
  let provider: Party;
  let bystander: Party;
  let coordinator: GraphqlClient;

  beforeAll(async () => {
    const community = await exchangeCommunity(t, [{ balance: 600n }, {}, {}]);
    fixture = community.fixture;
    [receiver, provider, bystander] = community.parties;
    coordinator = fixture.asCoordinator();
  });

  describe('listings and exchanges', () => {
    let listingId: string;
    let exchangeId: string;
    let holdTransferId: string;

    beforeAll(async () => {
      listingId = (await offerService(provider, fixture.community.id)).id;
      exchangeId = (await proposeOn(receiver, listingId, 60)).id;
      holdTransferId = (await accept(provider, exchangeId)).holdTransferId!;
    });

    const LISTING = `query Listing($id: ID!) { listing(id: $id) {
      memberId member { id email } communityId community { id slug }
    } }`;

    it("names a listing's author and community; the author's email only for the coordinator", async () => {
      const asBystander = await gql<{ listing: Record<string, unknown> }>(bystander.client, LISTING, { id: listingId });
      expect(asBystander.listing).toEqual({
        memberId: provider.memberId,
        member: { id: provider.memberId, email: null },
        communityId: globalId('Community', fixture.community.id),
        community: { id: globalId('Community', fixture.community.id), slug: fixture.community.slug },
      });

      const asCoordinator = await gql<{ listing: { member: { email: string } } }>(coordinator, LISTING, {
        id: listingId,
      });
      expect(asCoordinator.listing.member.email).toMatch(/^member2-.*@test[.]example$/);
    });

    const EXCHANGE = `query Exchange($id: ID!) { exchange(id: $id) {
      communityId community { id }
      listingId listing { id }
      proposerId proposer { id }
      providerId provider { id email }
      receiverId receiver { id }
      groupId group { id }
      holdTransferId holdTransfer {
        id debitAccountId debitAccount { id balance } creditAccountId creditAccount { id balance }
      }
    } }`;

    it("names an exchange's objects for a party, and shows them the hold but not the other party's account or email", async () => {
      const { exchange } = await gql<{ exchange: Record<string, unknown> }>(receiver.client, EXCHANGE, {
        id: exchangeId,
      });

      expect(exchange).toEqual({
        communityId: globalId('Community', fixture.community.id),
        community: { id: globalId('Community', fixture.community.id) },
        listingId,
        listing: { id: listingId },
        proposerId: receiver.memberId,
        proposer: { id: receiver.memberId },
        providerId: provider.memberId,
        provider: { id: provider.memberId, email: null },
        receiverId: receiver.memberId,
        receiver: { id: receiver.memberId },
        groupId: null,
        group: null,
        holdTransferId,
        holdTransfer: {
          id: holdTransferId,
          debitAccountId: receiver.accountId,
          debitAccount: { id: receiver.accountId, balance: '600' },
          creditAccountId: provider.accountId,
          // Another member's account, where balances are private: account(id) refuses it, so the field is null.
          creditAccount: null,
        },
      });
    });

    it('shows the coordinator, who audits the community, both accounts of the hold', async () => {
      const { exchange } = await gql<{ exchange: { holdTransfer: { creditAccount: Named; debitAccount: Named } } }>(
        coordinator,
        EXCHANGE,
        { id: exchangeId },
      );
      expect(exchange.holdTransfer.debitAccount?.id).toBe(receiver.accountId);
      expect(exchange.holdTransfer.creditAccount?.id).toBe(provider.accountId);
    });

    it("names a review's exchange for its parties only, and its author and subject for co-members", async () => {
      await deliver(provider, exchangeId, 60);
      await confirm(receiver, exchangeId);
      const { review, userErrors } = await reviewExchange(receiver.client, {
        exchangeId,
        rating: 5,
        comment: 'Lovely garden',
      });
      expect(userErrors).toEqual([]);

      const REVIEWS = `query Reviews($id: ID!) { member(id: $id) { reviews {
        id exchangeId exchange { id } authorId author { id } subjectId subject { id }
      } } }`;
      const reviewsAs = async (client: GraphqlClient): Promise<Record<string, unknown>[]> =>
        (await gql<{ member: { reviews: Record<string, unknown>[] } }>(client, REVIEWS, { id: provider.memberId }))
          .member.reviews;
      const expected = (exchange: Named): Record<string, unknown> => ({
        id: review!.id,
        exchangeId,
        exchange,
        authorId: receiver.memberId,
        author: { id: receiver.memberId },
        subjectId: provider.memberId,
        subject: { id: provider.memberId },
      });

      expect(await reviewsAs(provider.client)).toEqual([expected({ id: exchangeId })]);
      // exchange(id) is FORBIDDEN to someone who took no part in it: so is the review's exchange.
      expect(await reviewsAs(bystander.client)).toEqual([expected(null)]);
    });

    it('names the pending transfer a hold was resolved by', async () => {
      const { transfer } = await gql<{
        transfer: { resolution: { pendingTransferId: string; pendingTransfer: Named } };
      }>(
        receiver.client,
        'query Hold($id: ID!) { transfer(id: $id) { resolution { pendingTransferId pendingTransfer { id } } } }',
        {
          id: holdTransferId,
        },
      );
      expect(transfer.resolution).toEqual({
        pendingTransferId: holdTransferId,
        pendingTransfer: { id: holdTransferId },
      });
    });
  });

  describe('postings, statements and reversals', () => {
    let transferId: string;

    beforeAll(async () => {
      const payload = await createTransfer(
        receiver.client,
        transferInput(receiver.accountId, bystander.accountId, 30, { memo: 'thanks' }),
      );
      expect(payload.userErrors).toEqual([]);
      transferId = payload.transfer!.id;
    });

    const POSTINGS = `query Postings($id: ID!) { transfer(id: $id) { postings {
      accountId account { id balance } counterpartyAccountId counterpartyAccount { id balance } transferId transfer { id }
    } } }`;
    type PostingView = {
      accountId: string;
      account: Named;
      counterpartyAccountId: string;
      counterpartyAccount: Named;
      transferId: string;
      transfer: Named;
    };
    const postingsAs = async (client: GraphqlClient): Promise<PostingView[]> =>
      (await gql<{ transfer: { postings: PostingView[] } }>(client, POSTINGS, { id: transferId })).transfer.postings;

    it("shows a payer their own posting's account, but not the payee's account on the other side", async () => {
      expect(await postingsAs(receiver.client)).toEqual([
        {
          accountId: receiver.accountId,
          account: { id: receiver.accountId, balance: expect.any(String) },
          counterpartyAccountId: bystander.accountId,
          counterpartyAccount: null,
          transferId,
          transfer: { id: transferId },
        },
      ]);
    });

    it('shows an auditor both postings with both accounts', async () => {
      const postings = await postingsAs(coordinator);
      expect(postings.map((posting) => [posting.account?.id, posting.counterpartyAccount?.id])).toEqual([
        [receiver.accountId, bystander.accountId],
        [bystander.accountId, receiver.accountId],
      ]);
    });

    it("names a statement line's posting and transfer, and hides the counterparty's account from the holder", async () => {
      const STATEMENT = `query Statement($id: ID!) {
        accountStatement(accountId: $id, first: 100) { lines { edges { node {
          postingId posting { id } transferId transfer { id } counterpartyAccountId counterpartyAccount { id }
        } } } }
      }`;
      const { accountStatement } = await gql<{
        accountStatement: { lines: { edges: { node: Record<string, unknown> }[] } };
      }>(bystander.client, STATEMENT, { id: bystander.accountId });
      const [line] = accountStatement.lines.edges
        .map((edge) => edge.node)
        .filter((row) => row.transferId === transferId);
      expect(line).toEqual({
        postingId: expect.any(String),
        posting: { id: line.postingId },
        transferId,
        transfer: { id: transferId },
        counterpartyAccountId: null,
        counterpartyAccount: null,
      });
    });

    it('names the transfer a reversal reverses', async () => {
      const { transfer } = await succeed(coordinator, 'reverseTransfer', {
        idempotencyKey: newKey('undo'),
        transferId,
        reason: 'a mistake',
      });
      const { transfer: reversal } = await gql<{ transfer: { reversesTransferId: string; reversesTransfer: Named } }>(
        receiver.client,
        'query Reversal($id: ID!) { transfer(id: $id) { reversesTransferId reversesTransfer { id } } }',
        { id: transfer!.id },
      );
      expect(reversal).toEqual({ reversesTransferId: transferId, reversesTransfer: { id: transferId } });
    });
  });

  it('hides the author of a listing once they have left every community of theirs, as member(id) then does', async () => {
    const { fixture: other, parties } = await exchangeCommunity(t, [{}, {}]);
    const [author, reader] = parties;
    const listingId = (await offerService(author, other.community.id)).id;
    const LISTING = 'query Listing($id: ID!) { listing(id: $id) { memberId member { id } } }';
    const authorAs = async (client: GraphqlClient): Promise<Named> =>
      (await gql<{ listing: { member: Named } }>(client, LISTING, { id: listingId })).listing.member;
    expect(await authorAs(reader.client)).toEqual({ id: author.memberId });

    await succeed(author.client, 'closeMembership', { membershipId: other.holders[0].membershipId });

    expect(await authorAs(reader.client)).toBeNull();
    expect(await authorAs(other.asCoordinator())).toBeNull();
    expect(
      (await reader.client.graphql('query M($id: ID!) { member(id: $id) { id } }', { id: author.memberId })).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
  });

  describe('the audit log and the viewer', () => {
    it("names an audit entry's community and acting member for the community's coordinator", async () => {
      const { auditLog } = await gql<{ auditLog: { edges: { node: Record<string, unknown> }[] } }>(
        coordinator,
        `query Log($communityId: ID!) { auditLog(communityId: $communityId, first: 5) { edges { node {
          communityId community { id } actorMemberId actorMember { id } partnerAppId partnerApp { id }
        } } } }`,
        { communityId: fixture.community.id },
      );
      expect(auditLog.edges.length).toBeGreaterThan(0);
      for (const { node } of auditLog.edges) {
        expect(node.community).toEqual({ id: node.communityId });
        expect(node.actorMember).toEqual({ id: node.actorMemberId });
        expect(node.partnerApp).toBeNull();
      }
    });

    it('names the member calling', async () => {
      const { viewer } = await gql<{ viewer: Record<string, unknown> }>(
        receiver.client,
        '{ viewer { memberId member { id } actingForMemberId actingForMember { id } communityId community { id } } }',
      );
      expect(viewer).toEqual({
        memberId: receiver.memberId,
        member: { id: receiver.memberId },
        actingForMemberId: null,
        actingForMember: null,
        communityId: null,
        community: null,
      });
    });
  });
});
