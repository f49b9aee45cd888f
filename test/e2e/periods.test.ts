import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql, newKey } from './graphql-client.js';
import { balanceReport } from './report-client.js';
import { attempt, auditRows, mutate, pay, PERIOD_FIELDS, PeriodView, refusalCodes, succeed } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const PERIODS = `query Periods($communityId: ID!) { ledgerPeriods(communityId: $communityId) { edges { node { ${PERIOD_FIELDS} } } } }`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('closing a period', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let inPeriod: string;
  let through: Date;
  let period: PeriodView;

  const periodsSeenBy = async (client: Parameters<typeof gql>[0]): Promise<PeriodView[]> =>
    (
      await gql<{ ledgerPeriods: { edges: { node: PeriodView }[] } }>(client, PERIODS, {
        communityId: fixture.community.id,
      })
    ).ledgerPeriods.edges.map(({ node }) => node);

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [alice, bob] = fixture.members;
    inPeriod = (await pay(fixture.as(alice), alice.id, bob.id, 30)).transfer!.id;
    await pause(20);
    through = new Date();
    await pause(20);
    await pay(fixture.as(bob), bob.id, alice.id, 5);
    period = (
      await succeed(fixture.asCoordinator(), 'closeLedgerPeriod', {
        communityId: fixture.community.id,
        through: through.toISOString(),
        note: 'October books',
      })
    ).period!;
  });

  it('records every balance as of its end, leaving out what came after, and is audited', async () => {
    const [alice, bob] = fixture.members;
    expect(period).toMatchObject({
      currencyId: globalId('Currency', fixture.currency.id),
      closedThrough: through.toISOString(),
      closedBy: globalId('Member', fixture.coordinator.memberId),
      note: 'October books',
    });
    const balances = Object.fromEntries(period.balances.map(({ accountId, balance }) => [rowId(accountId), balance]));
    expect(balances).toMatchObject({
      [alice.id]: '70',
      [bob.id]: '30',
      [fixture.issuance.id]: '-100',
      [fixture.pool.id]: '0',
      [fixture.coordinator.account.id]: '0',
    });
    expect(await periodsSeenBy(fixture.asCoordinator())).toEqual([period]);
    const [row] = await auditRows(t, { communityId: fixture.community.id, action: 'ledger.close_period' });
    expect(row).toMatchObject({
      actorMemberId: fixture.coordinator.memberId,
      targetId: rowId(period.id),
      reason: 'October books',
      details: { through: through.toISOString() },
    });
  });

  it('agrees with the balance report as of its end, account by account', async () => {
    const { lines } = await balanceReport(fixture.asCoordinator(), fixture.community.id, through);
    const reported = Object.fromEntries(lines.map((line) => [line.accountId, line.balance]));
    expect(Object.fromEntries(period.balances.map(({ accountId, balance }) => [accountId, balance]))).toEqual(reported);
  });

  it('counts an instant as its whole millisecond, as the balance report does', async () => {
    const own = await createLedgerFixture(t, [{ balance: 50n }, {}]);
    const [payer, payee] = own.members;
    // The API speaks in milliseconds; the transfer is dated to the microsecond, within that millisecond.
    const through = new Date((await pay(own.as(payer), payer.id, payee.id, 10)).transfer!.createdAt);
    await pause(5);
    const closed = (
      await succeed(own.asCoordinator(), 'closeLedgerPeriod', {
        communityId: own.community.id,
        through: through.toISOString(),
        note: 'to the millisecond',
      })
    ).period!;
    const { lines } = await balanceReport(own.asCoordinator(), own.community.id, through);
    expect(closed.balances.find((line) => rowId(line.accountId) === payee.id)?.balance).toBe('10');
    expect(Object.fromEntries(closed.balances.map(({ accountId, balance }) => [accountId, balance]))).toEqual(
      Object.fromEntries(lines.map((line) => [line.accountId, line.balance])),
    );
  });

  it('refuses a close that overlaps the last one or ends in the future, and changes nothing', async () => {
    const coordinator = fixture.asCoordinator();
    const close = (at: Date) =>
      mutate(coordinator, 'closeLedgerPeriod', {
        communityId: fixture.community.id,
        through: at.toISOString(),
        note: 'again',
      });
    expect(refusalCodes(await close(through))).toEqual(['PERIOD_ALREADY_CLOSED']);
    expect(refusalCodes(await close(new Date(through.getTime() - 1000)))).toEqual(['PERIOD_ALREADY_CLOSED']);
    expect(refusalCodes(await close(new Date(Date.now() + 60_000)))).toEqual(['PERIOD_END_IN_FUTURE']);
    expect(await periodsSeenBy(coordinator)).toEqual([period]);
    const blank = await mutate(coordinator, 'closeLedgerPeriod', {
      communityId: fixture.community.id,
      through: through.toISOString(),
      note: '  ',
    });
    expect(blank.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'note'] })]);
    expect(await periodsSeenBy(coordinator)).toEqual([period]);
  });

  it('takes corrections in the open period, referring back, and keeps the closed balances', async () => {
    const reversal = await succeed(fixture.asCoordinator(), 'reverseTransfer', {
      idempotencyKey: newKey(),
      transferId: inPeriod,
      reason: 'paid twice',
      force: true,
    });
    expect(reversal.transfer!.reversesTransferId).toBe(inPeriod);
    expect(new Date(reversal.transfer!.createdAt).getTime()).toBeGreaterThan(new Date(period.closedAt).getTime());
    expect(await periodsSeenBy(fixture.asCoordinator())).toEqual([period]);
  });

  it('is refused by the database for a transfer dated inside it, whatever the path', async () => {
    const [alice, bob] = fixture.members;
    // As the tables' owner: the service's role may not insert a transfer but through the ledger's functions at all.
    const dated = ownerQuery(
      testDatabaseUrl(),
      `INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, created_at)
       VALUES ($1, repeat('0', 64), $2, $3, $4, 1, 'backdated', $5)`,
      [newKey(), fixture.currency.id, alice.id, bob.id, through],
    );
    await expect(dated).rejects.toMatchObject({ code: 'PL004' });
  });

  it("is open to the community's auditors only, and closed by its managers only", async () => {
    const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, ['AUDIT_READ']);
    expect(await periodsSeenBy(asPartner(t, apiKey))).toEqual([period]);
    const other = await createLedgerFixture(t, []);
    const [alice] = fixture.members;
    const input = { communityId: fixture.community.id, through: new Date().toISOString(), note: 'not mine' };
    expectForbidden(await fixture.as(alice).graphql(PERIODS, { communityId: fixture.community.id }));
    expectForbidden(await other.asCoordinator().graphql(PERIODS, { communityId: fixture.community.id }));
    expectForbidden(await attempt(fixture.as(alice), 'closeLedgerPeriod', input));
    expectForbidden(await attempt(other.asCoordinator(), 'closeLedgerPeriod', input));
    expectForbidden(await attempt(asPartner(t, apiKey), 'closeLedgerPeriod', input));
    expectQueryRefused(await t.graphql(PERIODS, { communityId: fixture.community.id }), ErrorCode.UNAUTHENTICATED);
    expect(await periodsSeenBy(fixture.asCoordinator())).toEqual([period]);
  });
});
