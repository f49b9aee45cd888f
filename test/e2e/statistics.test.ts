import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, TestApp, useTestApp } from '../support/test-app.js';
import { BatchMode } from '../../src/ledger/models/ledger-enums.js';
import { asPartner, loginAsNewAdmin, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused, NONEXISTENT_ID } from './denials.js';
import {
  accept,
  acceptedExchange,
  confirm,
  deliver,
  exchangeCommunity,
  grant,
  offerService,
  Party,
  proposeOn,
} from './exchange-client.js';
import { newKey } from './graphql-client.js';
import {
  communityStatistics,
  databaseInstant,
  queryStatistics,
  setProfileDistrict,
  StatisticsView,
} from './insights-client.js';
import { pay, pendingMember, succeed } from './member-client.js';
import { DATE_TIME_REFUSAL } from '../../libs/graphql/scalars.js';
import { globalId } from '../support/global-ids.js';

const { BAD_USER_INPUT, UNAUTHENTICATED } = ErrorCode;
const DAY_MS = 86_400_000;

/**
 * What the ledger itself holds for the community, read straight from its tables (transfers and
 * accounts, where the statistics start from postings): over [from, to), the member-to-member posted
 * transfers (reversals negative), how many, and the members with any posting; now, the positive
 * balances of member accounts.
 */
async function ledgerFacts(
  t: TestApp,
  communityId: string,
  from: Date,
  to: Date,
): Promise<{ exchanged: string; transfers: number; activeMembers: number; moneyInMembersHands: string }> {
  const [row] = await t.dataSource.query(
    `SELECT coalesce(sum(CASE WHEN t.reverses_id IS NULL THEN t.amount ELSE -t.amount END), 0)::text AS exchanged, count(t.id)::int AS transfers,
            (SELECT count(DISTINCT m.member_id)::int FROM memberships m JOIN postings p ON p.account_id = m.account_id
              WHERE m.community_id = $1 AND p.created_at >= $2 AND p.created_at < $3) AS "activeMembers",
            (SELECT coalesce(sum(greatest(a.posted_credits - a.posted_debits, 0)), 0)::text FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.community_id = $1) AS "moneyInMembersHands"
       FROM transfers t
       JOIN memberships payer ON payer.account_id = t.debit_account_id AND payer.community_id = $1
       JOIN memberships payee ON payee.account_id = t.credit_account_id AND payee.community_id = $1
      WHERE t.kind IN ('direct', 'post_pending') AND t.created_at >= $2 AND t.created_at < $3`,
    [communityId, from, to],
  );
  return row;
}

const sumOf = (parts: { amount: string }[]): string =>
  parts.reduce((sum, part) => sum + BigInt(part.amount), 0n).toString();

/** An exchange on a fresh service offer of the provider, carried through to confirmation at `actual`. */
async function confirmedExchange(
  receiver: Party,
  provider: Party,
  communityId: string,
  listing: Record<string, unknown>,
  estimate: number,
  actual: number,
): Promise<void> {
  const offer = await offerService(provider, communityId, listing);
  const proposed = await proposeOn(receiver, offer.id, estimate);
  await accept(provider, proposed.id);
  await deliver(provider, proposed.id, actual);
  await confirm(receiver, proposed.id, actual > estimate);
}

/**
 * Two days of a small community, split at a boundary the test takes from the database's clock:
 * - day 1: an exchange in gardening on a listing in Seongsu (120, a posted hold); a direct payment
 *   (50, uncategorised) to a member of Mapo; an exchange in cooking paid above its estimate (60 held,
 *   30 more), on a listing with no district, to a member of Jongno; every member is admitted and funded;
 * - day 2: the coordinator reverses the direct payment (-50); two direct payments (40, then 70 from a
 *   member who goes into debt); a grant (not an exchange); a hold still open (not posted, so not
 *   counted); and one more member approved.
 */
describe('community statistics over GraphQL', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let communityId: string;
  let boundary: Date;
  const day = (offset: number): Date => new Date(boundary.getTime() + offset * DAY_MS);

  beforeAll(async () => {
    const { fixture: created, parties } = await exchangeCommunity(t, [
      { balance: 1000n },
      { balance: 1000n },
      { balance: 500n },
      { lowerLimit: -200n },
    ]);
    fixture = created;
    communityId = fixture.community.id;
    const [m1, m2, m3, m4] = parties;
    await setProfileDistrict(m1.client, 'Mapo');
    await setProfileDistrict(m2.client, 'Jongno');

    await confirmedExchange(m2, m1, communityId, { category: 'gardening', district: 'Seongsu' }, 120, 120);
    const direct = await pay(m3.client, m3.accountId, m1.accountId, 50);
    await confirmedExchange(m1, m2, communityId, { category: 'cooking', title: 'Dinner for four' }, 60, 90);

    boundary = await databaseInstant(t);

    await succeed(fixture.asCoordinator(), 'reverseTransfer', {
      idempotencyKey: newKey('reverse'),
      transferId: direct.transfer!.id,
      reason: 'paid by mistake',
    });
    await pay(m1.client, m1.accountId, m4.accountId, 40);
    await pay(m4.client, m4.accountId, m3.accountId, 70);
    await grant(fixture, m2, 100);
    await acceptedExchange(m3, m1, communityId, 30);
    const applicant = await pendingMember(t, fixture);
    await succeed(fixture.asCoordinator(), 'approveMembership', { membershipId: applicant.membership.id });
  });

  const twoDays = (): { communityId: string; from: Date; to: Date; interval: 'DAY' } => ({
    communityId,
    from: day(-1),
    to: day(1),
    interval: 'DAY',
  });

  it('gives each day its amount exchanged, by category and by district, its active and new members, the money in hand and the velocity', async () => {
    const statistics = await communityStatistics(fixture.asCoordinator(), twoDays());
    expect(statistics).toMatchObject({
      communityId: globalId('Community', communityId),
      interval: 'DAY',
      currency: { code: 'HOUR' },
      from: day(-1).toISOString(),
      to: day(1).toISOString(),
    });
    const [first, second] = statistics.buckets;
    expect(statistics.buckets).toHaveLength(2);
    expect(first).toEqual({
      start: day(-1).toISOString(),
      end: boundary.toISOString(),
      amountExchanged: '260',
      reversedAmount: '0',
      transferCount: 4,
      byCategory: [
        { category: 'gardening', amount: '120' },
        { category: 'cooking', amount: '90' },
        { category: null, amount: '50' },
      ],
      byDistrict: [
        { district: 'Seongsu', amount: '120' },
        { district: 'Jongno', amount: '90' },
        { district: 'Mapo', amount: '50' },
      ],
      // Three members funded and trading; the fourth has no posting yet. Four members and the coordinator were admitted.
      activeMembers: 3,
      newMembers: 5,
      // 1080 + 970 + 450 + 0.
      moneyInMembersHands: '2500',
      velocity: expect.any(Number),
    });
    expect(first.velocity).toBeCloseTo(260 / 2500, 12);
    expect(second).toEqual({
      start: boundary.toISOString(),
      end: day(1).toISOString(),
      amountExchanged: '60',
      reversedAmount: '50',
      transferCount: 3,
      byCategory: [{ category: null, amount: '60' }],
      // The reversal goes where the payment it undoes went: to its payee's district.
      byDistrict: [
        { district: null, amount: '110' },
        { district: 'Mapo', amount: '-50' },
      ],
      activeMembers: 4,
      newMembers: 1,
      // 990 + 1070 + 570, and nothing for the member 30 in debt or the newcomer.
      moneyInMembersHands: '2630',
      velocity: expect.any(Number),
    });
    expect(second.velocity).toBeCloseTo(60 / 2630, 12);
    expect(statistics.total).toEqual({
      amountExchanged: '320',
      reversedAmount: '50',
      transferCount: 7,
      byCategory: [
        { category: 'gardening', amount: '120' },
        { category: null, amount: '110' },
        { category: 'cooking', amount: '90' },
      ],
      byDistrict: [
        { district: 'Seongsu', amount: '120' },
        { district: null, amount: '110' },
        { district: 'Jongno', amount: '90' },
        { district: 'Mapo', amount: '0' },
      ],
      activeMembers: 4,
      newMembers: 6,
    });
  });

  it('agrees with the ledger: each bucket and the total equal the member-to-member transfers read straight from it, and every breakdown sums to its total', async () => {
    const statistics = await communityStatistics(fixture.asCoordinator(), twoDays());
    const [first, second] = statistics.buckets;
    const exchanged = async (from: Date, to: Date): Promise<string> =>
      (await ledgerFacts(t, communityId, from, to)).exchanged;
    expect([first.amountExchanged, second.amountExchanged, statistics.total.amountExchanged]).toEqual([
      await exchanged(day(-1), boundary),
      await exchanged(boundary, day(1)),
      await exchanged(day(-1), day(1)),
    ]);
    for (const part of [...statistics.buckets, statistics.total]) {
      expect([sumOf(part.byCategory), sumOf(part.byDistrict)]).toEqual([part.amountExchanged, part.amountExchanged]);
    }
  });

  it('gives the same figures whatever the interval, when the buckets hold the same transfers', async () => {
    const byDay = await communityStatistics(fixture.asCoordinator(), twoDays());
    const byWeek = await communityStatistics(fixture.asCoordinator(), {
      communityId,
      from: day(-7),
      to: day(7),
      interval: 'WEEK',
    });
    const withoutBounds = ({ start: _start, end: _end, ...figures }: StatisticsView['buckets'][number]) => figures;
    expect(byWeek.buckets.map(withoutBounds)).toEqual(byDay.buckets.map(withoutBounds));
    const byMonth = await communityStatistics(fixture.asCoordinator(), { ...twoDays(), interval: 'MONTH' });
    expect(byMonth.buckets).toHaveLength(1);
    expect(byMonth.buckets[0]).toMatchObject({
      ...byDay.total,
      start: day(-1).toISOString(),
      end: day(1).toISOString(),
      moneyInMembersHands: '2630',
    });
  });

  it('counts nothing before the first transfer and keeps the money in hand across empty buckets', async () => {
    const statistics = await communityStatistics(fixture.asCoordinator(), {
      communityId,
      from: day(-3),
      to: day(3),
      interval: 'DAY',
    });
    expect(
      statistics.buckets.map((bucket) => [bucket.amountExchanged, bucket.moneyInMembersHands, bucket.velocity]),
    ).toEqual([
      ['0', '0', null],
      ['0', '0', null],
      ['260', '2500', expect.any(Number)],
      ['60', '2630', expect.any(Number)],
      ['0', '2630', 0],
      ['0', '2630', 0],
    ]);
  });

  /**
   * Thousands of payments in random batches (the same every run), grants among them, and a few
   * reversals: over any window between the batches, the statistics say what the ledger says.
   */
  describe('on thousands of transfers', () => {
    let many: LedgerFixture;
    const instants: Date[] = [];

    beforeAll(async () => {
      many = await createLedgerFixture(
        t,
        Array.from({ length: 8 }, () => ({ balance: 100_000n, lowerLimit: -5_000n })),
      );
      let seed = 20_261_128;
      const random = (below: number): number => (seed = (seed * 48_271) % 2_147_483_647) % below;
      const payments: string[] = [];
      instants.push(await databaseInstant(t));
      for (let round = 0; round < 4; round++) {
        const transfers = Array.from({ length: 500 }, (_, index) => {
          const payer = random(8);
          const payee = (payer + 1 + random(7)) % 8;
          // Every 50th is a grant from issuance: money moves to a member, but no exchange.
          const debit = index % 50 === 0 ? many.issuance : many.members[payer];
          return {
            idempotencyKey: newKey('many'),
            debitAccountId: debit.id,
            creditAccountId: many.members[payee].id,
            amount: BigInt(1 + random(300)),
            code: 'payment',
            memo: '',
          };
        });
        const { results } = await t.ledger.createTransfers({ mode: BatchMode.INDEPENDENT, transfers });
        expect(results.filter((result) => result.userErrors.length > 0)).toEqual([]);
        payments.push(...results.filter((_, index) => index % 50 !== 0).map((result) => result.transfer!.id));
        instants.push(await databaseInstant(t));
      }
      for (const transferId of payments.filter((_, index) => index % 80 === 7)) {
        expect(
          (await t.ledger.reverseTransfer({ idempotencyKey: newKey('undo'), transferId, force: false, memo: '' }))
            .userErrors,
        ).toEqual([]);
      }
      instants.push(await databaseInstant(t));
    });

    it('counts, over every window between batches, the amount, transfers and active members the ledger holds, and the money in hand at the end', async () => {
      const coordinator = many.asCoordinator();
      const communityId = many.community.id;
      for (const [i, from] of instants.entries()) {
        for (const to of instants.slice(i + 1)) {
          const {
            buckets: [bucket],
            total,
          } = await communityStatistics(coordinator, { communityId, from, to, interval: 'DAY' });
          const facts = await ledgerFacts(t, communityId, from, to);
          expect([
            bucket.amountExchanged,
            bucket.transferCount,
            total.activeMembers,
            sumOf(bucket.byCategory),
            sumOf(bucket.byDistrict),
          ]).toEqual([
            facts.exchanged,
            facts.transfers,
            facts.activeMembers,
            bucket.amountExchanged,
            bucket.amountExchanged,
          ]);
          if (to === instants[instants.length - 1]) expect(bucket.moneyInMembersHands).toBe(facts.moneyInMembersHands);
        }
      }
      const whole = await communityStatistics(coordinator, {
        communityId,
        from: instants[0],
        to: instants[instants.length - 1],
        interval: 'DAY',
      });
      expect({ transfers: whole.total.transferCount, reversed: whole.total.reversedAmount !== '0' }).toEqual({
        transfers: 4 * 490 + 25,
        reversed: true,
      });
    });
  });

  describe('access', () => {
    it("is open to the community's coordinators, admins and AUDIT_READ partner apps", async () => {
      const expected = await communityStatistics(fixture.asCoordinator(), twoDays());
      const admin = await loginAsNewAdmin(t);
      const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ']);
      expect(await communityStatistics(admin.client, twoDays())).toEqual(expected);
      expect(await communityStatistics(asPartner(t, apiKey), twoDays())).toEqual(expected);
    });

    it('is closed to members, to partner apps without AUDIT_READ, to other communities and to anonymous callers', async () => {
      const { fixture: other } = await exchangeCommunity(t, []);
      const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), communityId, ['ACT_FOR_MEMBER']);
      const denied: GraphqlClient[] = [fixture.as(fixture.members[0]), asPartner(t, apiKey), other.asCoordinator()];
      for (const client of denied) expectForbidden(await queryStatistics(client, twoDays()));
      // Bad input from someone who may not look tells them nothing either.
      expectForbidden(await queryStatistics(fixture.as(fixture.members[0]), { ...twoDays(), to: day(-2) }));
      expectQueryRefused(await queryStatistics(t, twoDays()), UNAUTHENTICATED);
      const admin = await loginAsNewAdmin(t);
      expectForbidden(await queryStatistics(admin.client, { ...twoDays(), communityId: NONEXISTENT_ID }));
    });
  });

  describe('bad input', () => {
    it('refuses an empty or reversed period, more than 366 buckets, dates out of range and malformed arguments with BAD_USER_INPUT', async () => {
      const coordinator = fixture.asCoordinator();
      const refused = async (variables: Record<string, unknown>, message: string, status = 200): Promise<void> => {
        const response = await queryStatistics(coordinator, { ...twoDays(), ...variables });
        expect({
          status: response.status,
          data: response.data ?? null,
          errors: response.errors?.map(({ message, extensions }) => ({ code: extensions?.code, message })),
        }).toEqual({ status, data: null, errors: [{ code: BAD_USER_INPUT, message }] });
      };
      await refused({ to: day(-1) }, 'from must be before to');
      await refused({ from: day(1), to: day(-1) }, 'from must be before to');
      const tooMany = 'from and to may span at most 366 intervals: choose a wider interval or a shorter period';
      await refused({ from: day(0), to: new Date(day(0).getTime() + 366 * DAY_MS + 1) }, tooMany);
      await refused({ from: day(0), to: day(367 * 7), interval: 'WEEK' }, tooMany);
      await refused({ from: '1969-12-31T00:00:00Z' }, 'from must be a valid ISO 8601 date-time between 1970 and 9999');
      // A value the DateTime scalar cannot read is refused before any resolver runs.
      await refused({ to: 'tomorrow' }, `Variable "$to" got invalid value "tomorrow"; ${DATE_TIME_REFUSAL}`, 400);
      await refused({ communityId: '0' }, 'communityId must be a positive integer id');
      // Neither a global id nor a number: it names no community, and is denied as an unknown one is.
      expectForbidden(await queryStatistics(coordinator, { ...twoDays(), communityId: 'the first one' }));
      // A value the schema cannot even coerce is refused before any resolver runs.
      await refused(
        { interval: 'YEAR' },
        'Variable "$interval" got invalid value "YEAR"; Value "YEAR" does not exist in "StatisticsInterval" enum.',
        400,
      );
      // Exactly 366 days is the most a daily series may hold.
      expect(
        (await communityStatistics(coordinator, { communityId, from: day(0), to: day(366), interval: 'DAY' })).buckets,
      ).toHaveLength(366);
    });
  });
});
