import { ErrorCode } from '../../libs/graphql/error-code.js';
import { globalId, rowId } from '../support/global-ids.js';
import { LedgerFixture } from '../support/ledger-fixture.js';
import { TestApp, useTestApp } from '../support/test-app.js';
import { asPartner, loginAsNewAdmin, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { exchangeCommunity, Party } from './exchange-client.js';
import { newKey, TransferView } from './graphql-client.js';
import { databaseInstant, justAfter, pause, queryRiskSignals, riskSignals } from './insights-client.js';
import { pay, succeed } from './member-client.js';
import { DATE_TIME_REFUSAL } from '../../libs/graphql/scalars.js';

const { BAD_USER_INPUT, UNAUTHENTICATED } = ErrorCode;

/** A posted payment between two parties; the transfer as the payer reads it. */
async function payment(from: Party, to: Party, amount: number): Promise<TransferView> {
  return (await pay(from.client, from.accountId, to.accountId, amount)).transfer!;
}

/** A payment as the evidence shows it. */
const asEvidence = ({ id, debitAccountId, creditAccountId, amount, createdAt }: TransferView) => ({
  id,
  debitAccountId,
  creditAccountId,
  amount,
  createdAt,
});

/** The first posting that put the account at its balance: the transfer (its API id) and when. */
async function postingOf(t: TestApp, accountId: string, version: number): Promise<{ transferId: string; at: string }> {
  const [row] = await t.dataSource.query(
    'SELECT transfer_id::text AS "transferId", created_at AS at FROM postings WHERE account_id = $1 AND account_version = $2',
    [rowId(accountId), version],
  );
  return { transferId: globalId('Transfer', row.transferId), at: (row.at as Date).toISOString() };
}

describe('risk signals over GraphQL', () => {
  const t = useTestApp();

  /**
   * Cycles of payments and balances near the cap:
   * - A→B→C→A, twice round (one cycle), and A→G→H→A: flagged;
   * - P→Q, R→P, Q→R (the money never goes round in order), X→Y→X (two-way trade), U→V before the
   *   period then V→W→U within it, and I→J→L closed only by the reversal of I→L: not flagged;
   * - caps of 1000: 950 (flagged), exactly 900 (flagged), 899 (not), 850 then back to 910 (flagged
   *   since it came back), and 5000 with no cap (not).
   */
  describe('circular trading and hoarding', () => {
    let fixture: LedgerFixture;
    let communityId: string;
    const party: Record<string, Party> = {};
    const paid: Record<string, TransferView> = {};
    let from: Date;
    const names = ['A', 'B', 'C', 'G', 'H', 'P', 'Q', 'R', 'X', 'Y', 'U', 'V', 'W', 'I', 'J', 'L'];
    const capped = { H1: 950n, H5: 900n, H2: 899n, H4: 950n };

    beforeAll(async () => {
      const specs = [
        ...names.map(() => ({ balance: 1000n })),
        ...Object.values(capped).map((balance) => ({ balance, upperLimit: 1000n })),
        { balance: 5000n },
      ];
      const created = await exchangeCommunity(t, specs);
      fixture = created.fixture;
      communityId = fixture.community.id;
      [...names, ...Object.keys(capped), 'H3'].forEach((name, index) => (party[name] = created.parties[index]));
      const hop = async (key: string, amount: number) =>
        (paid[key] = await payment(party[key[0]], party[key[1]], amount));

      await hop('UV', 70);
      from = await databaseInstant(t);
      for (const round of [1, 2]) for (const key of ['AB', 'BC', 'CA']) await hop(`${key}${round}`, 100);
      for (const key of ['AG', 'GH', 'HA']) await hop(key, 10);
      for (const key of ['PQ', 'RP', 'QR']) await hop(key, 50);
      for (const key of ['XY', 'YX', 'VW', 'WU', 'IL', 'IJ', 'JL']) await hop(key, 30);
      // Reversed, I→L becomes L→I after J→L: a correction, not a payment, so I→J→L→I is no cycle.
      await succeed(fixture.asCoordinator(), 'reverseTransfer', {
        idempotencyKey: newKey('reverse'),
        transferId: paid.IL.id,
        reason: 'sent to the wrong member',
      });
      await payment(party.H4, party.Y, 100);
      await payment(party.Y, party.H4, 60);
    });

    it('flags each account on a cycle A→B→C→A within the period, counting each cycle once, with the payments of its first cycles', async () => {
      const signals = await riskSignals(fixture.asCoordinator(), { communityId, from, kinds: ['CIRCULAR_TRADING'] });
      const { A, B, C, G, H } = party;
      const abc = {
        accountIds: [A.accountId, B.accountId, C.accountId],
        transfers: [paid.AB1, paid.BC1, paid.CA2].map(asEvidence),
      };
      const agh = {
        accountIds: [A.accountId, G.accountId, H.accountId],
        transfers: [paid.AG, paid.GH, paid.HA].map(asEvidence),
      };
      const flagged = (who: Party, cycles: (typeof abc)[]) => ({
        kind: 'CIRCULAR_TRADING',
        accountId: who.accountId,
        memberId: who.memberId,
        memberName: expect.any(String),
        summary: expect.any(String),
        evidence: { __typename: 'CircularTradingEvidence', cycleCount: cycles.length, cycles },
      });
      expect(signals).toEqual([
        flagged(A, [abc, agh]),
        flagged(B, [abc]),
        flagged(C, [abc]),
        flagged(G, [agh]),
        flagged(H, [agh]),
      ]);
      // A summary is prose for people: it names accounts by their database id, as CSV exports do.
      expect(signals[1].summary).toBe(
        `Account ${rowId(B.accountId)} (${signals[1].memberName}) is on 1 cycle of payments within the period, ` +
          `the first ${[A, B, C, A].map((holder) => rowId(holder.accountId)).join(' → ')} paying 100, 100, 100 HOUR minor units in turn.`,
      );
    });

    it('needs every hop within the period: once both rounds of A→B fall before it, only A→G→H→A is left', async () => {
      const signals = await riskSignals(fixture.asCoordinator(), {
        communityId,
        from: paid.BC2.createdAt,
        kinds: ['CIRCULAR_TRADING'],
      });
      expect(signals.map((signal) => [signal.accountId, signal.evidence.cycleCount])).toEqual([
        [party.A.accountId, 1],
        [party.G.accountId, 1],
        [party.H.accountId, 1],
      ]);
    });

    it('flags balances at or above 90% of the cap by default, since they got there, and follows the percentage asked', async () => {
      const coordinator = fixture.asCoordinator();
      const signals = await riskSignals(coordinator, { communityId, kinds: ['HOARDING'] });
      const hoarding = async (name: string, balance: string, threshold: string, percent: number, version: number) => {
        const entry = await postingOf(t, party[name].accountId, version);
        return {
          kind: 'HOARDING',
          accountId: party[name].accountId,
          memberId: party[name].memberId,
          memberName: expect.any(String),
          summary: expect.any(String),
          evidence: {
            __typename: 'HoardingEvidence',
            balance,
            upperLimit: '1000',
            thresholdPercent: percent,
            threshold,
            since: entry.at,
            sinceTransferId: entry.transferId,
          },
        };
      };
      // H4 left the zone (850) and came back (910) with its third posting: that is when its streak began.
      expect(signals).toEqual([
        await hoarding('H1', '950', '900', 90, 1),
        await hoarding('H5', '900', '900', 90, 1),
        await hoarding('H4', '910', '900', 90, 3),
      ]);
      expect(signals[0].summary).toBe(
        `Account ${rowId(party.H1.accountId)} (${signals[0].memberName}) holds 950 of its 1000 cap HOUR minor units, at or above 90% of it since ${signals[0].evidence.since}.`,
      );
      expect(await riskSignals(coordinator, { communityId, kinds: ['HOARDING'], hoardingPercent: 95 })).toEqual([
        await hoarding('H1', '950', '950', 95, 1),
      ]);
    });

    it('lists every kind asked for, in order of kind and account', async () => {
      const signals = await riskSignals(fixture.asCoordinator(), { communityId, from });
      expect(signals.map((signal) => signal.kind)).toEqual([
        ...Array(5).fill('CIRCULAR_TRADING'),
        ...Array(3).fill('HOARDING'),
      ]);
    });

    describe('access', () => {
      it("is open to the community's coordinators, admins and AUDIT_READ partner apps", async () => {
        const variables = { communityId, from, kinds: ['HOARDING'] };
        const expected = await riskSignals(fixture.asCoordinator(), variables);
        const admin = await loginAsNewAdmin(t);
        const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), communityId, ['AUDIT_READ']);
        expect(await riskSignals(admin.client, variables)).toEqual(expected);
        expect(await riskSignals(asPartner(t, apiKey), variables)).toEqual(expected);
      });

      it('is closed to members, partner apps without AUDIT_READ, other communities and anonymous callers', async () => {
        const { fixture: other } = await exchangeCommunity(t, []);
        const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), communityId, ['ACT_FOR_MEMBER']);
        for (const client of [party.A.client, asPartner(t, apiKey), other.asCoordinator()])
          expectForbidden(await queryRiskSignals(client, { communityId }));
        expectQueryRefused(await queryRiskSignals(t, { communityId }), UNAUTHENTICATED);
      });
    });

    it('refuses a reversed period, thresholds out of range and malformed arguments with BAD_USER_INPUT', async () => {
      const refused = async (variables: Record<string, unknown>, message: string, status = 200): Promise<void> => {
        const response = await queryRiskSignals(fixture.asCoordinator(), { communityId, ...variables });
        expect({
          status: response.status,
          data: response.data ?? null,
          errors: response.errors?.map(({ message, extensions }) => ({ code: extensions?.code, message })),
        }).toEqual({ status, data: null, errors: [{ code: BAD_USER_INPUT, message }] });
      };
      await refused({ from, to: from }, 'from must be before to');
      await refused({ from: new Date(Date.now() + 3_600_000) }, 'from must be before to');
      await refused(
        { from: '2020-01-01T00:00:00Z', to: '2021-01-02T00:00:01Z' },
        'from and to may be at most 366 days apart',
      );
      await refused({ hoardingPercent: 0 }, 'hoardingPercent must not be less than 1');
      await refused({ hoardingPercent: 101 }, 'hoardingPercent must not be greater than 100');
      await refused({ chronicDebtPercent: 100 }, 'chronicDebtPercent must not be greater than 99');
      await refused({ chronicDebtSeconds: 0 }, 'chronicDebtSeconds must not be less than 1');
      await refused(
        { velocityWindowSeconds: 366 * 86_400 + 1 },
        'velocityWindowSeconds must not be greater than 31622400',
      );
      await refused({ velocityBaselineWindows: 0 }, 'velocityBaselineWindows must not be less than 1');
      await refused({ velocityFactor: 1 }, 'velocityFactor must not be less than 2');
      await refused({ velocityMinimumAmount: '-1' }, 'velocityMinimumAmount must not be negative');
      await refused(
        { to: '10000-01-01T00:00:00Z' },
        `Variable "$to" got invalid value "10000-01-01T00:00:00Z"; ${DATE_TIME_REFUSAL}`,
        400,
      );
      await refused(
        { kinds: ['FRAUD'] },
        'Variable "$kinds" got invalid value "FRAUD" at "kinds[0]"; Value "FRAUD" does not exist in "RiskSignalKind" enum.',
        400,
      );
    });
  });

  /**
   * Signals over time, on windows of seconds (the query takes them as parameters; the ledger cannot be
   * given a past): a baseline, a pause longer than the window, then a burst; and debts that began
   * before the pause or after it.
   */
  describe('chronic debt and sudden velocity', () => {
    // Long enough that the burst (eight payments) falls in one window on a busy machine, where a
    // payment may take a few hundred milliseconds: at 2 s, a slow burst spilled into the window before.
    const WINDOW_SECONDS = 5;
    let fixture: LedgerFixture;
    let communityId: string;
    let inDebt: Party[];
    let velocity: Party[];
    let debtEntry: TransferView;
    let velocityTo: Date;
    let chronicTo: Date;
    const bursts: TransferView[] = [];

    beforeAll(async () => {
      const credit = { lowerLimit: -600n };
      const created = await exchangeCommunity(t, [
        {},
        credit,
        credit,
        credit,
        credit,
        { balance: 3500n },
        {},
        ...Array(4).fill({ balance: 1000n }),
      ]);
      fixture = created.fixture;
      communityId = fixture.community.id;
      const [sink, d1, d2, d3, d4, source, bystander, ...movers] = created.parties;
      inDebt = [d1, d2, d3, d4];
      velocity = movers;
      const [v1, v2, v3, v4] = movers;

      // The baseline: the source pays out 2900 in all, v1 receives 100 and v2 800.
      await payment(source, bystander, 2000);
      await payment(source, v1, 100);
      await payment(source, v2, 800);
      // Debts: d3 goes near its limit and comes back; d4 stays just outside the zone (-530 > -540); d1 goes into it (-560).
      await payment(d3, sink, 560);
      await payment(sink, d3, 460);
      await payment(d4, sink, 530);
      debtEntry = await payment(d1, sink, 560);

      await pause(WINDOW_SECONDS * 1000 + 500);

      for (let i = 0; i < 5; i++) bursts.push(await payment(v1, source, 100));
      await payment(v2, source, 450);
      await payment(v3, source, 350);
      bursts.push(await payment(v4, source, 400));
      velocityTo = await justAfter(t, bursts[bursts.length - 1].id);
      // d2 goes into the zone (-550) only now.
      chronicTo = await justAfter(t, (await payment(d2, sink, 550)).id);
    });

    it('flags a balance near the lower limit for longer than asked, since it got there, and not one near it only now, one that left, or one just outside', async () => {
      const coordinator = fixture.asCoordinator();
      const variables = { communityId, to: chronicTo, kinds: ['CHRONIC_DEBT'], chronicDebtSeconds: WINDOW_SECONDS };
      const [d1, , , d4] = inDebt;
      const durationSeconds = Math.floor((chronicTo.getTime() - new Date(debtEntry.createdAt).getTime()) / 1000);
      const signals = await riskSignals(coordinator, variables);
      expect(signals).toEqual([
        {
          kind: 'CHRONIC_DEBT',
          accountId: d1.accountId,
          memberId: d1.memberId,
          memberName: expect.any(String),
          summary: expect.any(String),
          evidence: {
            __typename: 'ChronicDebtEvidence',
            balance: '-560',
            lowerLimit: '-600',
            thresholdPercent: 10,
            threshold: '-540',
            since: debtEntry.createdAt,
            sinceTransferId: debtEntry.id,
            durationSeconds,
            minimumSeconds: WINDOW_SECONDS,
          },
        },
      ]);
      expect(durationSeconds).toBeGreaterThanOrEqual(WINDOW_SECONDS);
      expect(signals[0].summary).toBe(
        `Account ${rowId(d1.accountId)} (${signals[0].memberName}) has stayed at or below -540, near its lower limit of -600 HOUR minor units, ` +
          `for ${durationSeconds} seconds (since ${debtEntry.createdAt}); its balance is -560.`,
      );
      // Within 15% of the limit (-510), the account at -530 is near it too, and has been since before the pause.
      const wider = await riskSignals(coordinator, { ...variables, chronicDebtPercent: 15 });
      expect(wider.map((signal) => [signal.accountId, signal.evidence.threshold])).toEqual([
        [d1.accountId, '-510'],
        [d4.accountId, '-510'],
      ]);
      // The default is 30 days: nobody here has been in debt that long.
      expect(await riskSignals(coordinator, { communityId, to: chronicTo, kinds: ['CHRONIC_DEBT'] })).toEqual([]);
    });

    it('flags a volume far above its baseline and above the minimum, and not one a little less above it, or under the minimum', async () => {
      const [v1, , , v4] = velocity;
      const variables = {
        communityId,
        to: velocityTo,
        kinds: ['SUDDEN_VELOCITY'],
        velocityWindowSeconds: WINDOW_SECONDS,
        velocityBaselineWindows: 8,
        velocityFactor: 5,
        velocityMinimumAmount: '400',
      };
      const windowStart = new Date(velocityTo.getTime() - WINDOW_SECONDS * 1000).toISOString();
      const flagged = (
        who: Party,
        recentVolume: string,
        baselineVolume: string,
        ratio: number | null,
        transfers: TransferView[],
      ) => ({
        kind: 'SUDDEN_VELOCITY',
        accountId: who.accountId,
        memberId: who.memberId,
        memberName: expect.any(String),
        summary: expect.any(String),
        evidence: {
          __typename: 'SuddenVelocityEvidence',
          windowStart,
          windowSeconds: WINDOW_SECONDS,
          recentVolume,
          baselineVolume,
          baselineWindows: 8,
          ratio,
          factor: 5,
          minimumAmount: '400',
          transfers: transfers.map(asEvidence),
        },
      });
      // v1: 500 against 100 over 8 windows (40 times the average). v2: 450 against 800 (4.5 times, under 5). v3: 350, under the
      // minimum. v4: 400 with no baseline at all. The source: 1700 against 2900 (4.7 times).
      const signals = await riskSignals(fixture.asCoordinator(), variables);
      expect(signals).toEqual([
        flagged(v1, '500', '100', 40, bursts.slice(0, 5)),
        flagged(v4, '400', '0', null, bursts.slice(5)),
      ]);
      expect(signals[1].summary).toBe(
        `Account ${rowId(v4.accountId)} (${signals[1].memberName}) moved 400 HOUR minor units in the ${WINDOW_SECONDS} seconds before ${velocityTo.toISOString()}: none in the windows before.`,
      );
      // A factor of 4 catches v2 (4.5) and the source (4.69), but not v3, still under the minimum.
      const lower = await riskSignals(fixture.asCoordinator(), { ...variables, velocityFactor: 4 });
      expect(lower.map((signal) => signal.accountId).sort()).toEqual(
        [v1.accountId, velocity[1].accountId, v4.accountId, globalId('Account', fixture.members[5].id)].sort(),
      );
    });
  });
});
