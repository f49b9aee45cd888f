import { createLedgerFixture } from '../support/ledger-fixture.js';
import { actorOf, useTestServices } from '../support/test-services.js';
import { ExchangeSweeper } from '../../src/exchanges/exchange.sweeper.js';
import { ExchangesService } from '../../src/exchanges/exchanges.service.js';
import { ExchangeRole, ExchangeStatus } from '../../src/exchanges/models/exchange-enums.js';
import { Exchange } from '../../src/exchanges/models/exchange.models.js';
import { newToken, tokenHash } from '../../libs/security/tokens.js';
import { TransferKind } from '../../src/ledger/models/ledger-enums.js';
import { ExportLinkSweeper } from '../../src/reports/export-link.sweeper.js';
import { ExportKind } from '../../src/reports/models/report.models.js';
import { ReportsRepository } from '../../src/reports/reports.repository.js';

/**
 * What the background jobs do when they run, called by hand as their timers would call them: no
 * timer runs in a test, so each sweep here is the only one, and what it returns is exact.
 */
describe('the background jobs, swept by hand', () => {
  const t = useTestServices();

  it('the exchange sweeper lapses an accepted exchange past its hold timeout, confirms a delivered one', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 600n }, {}]);
    const [receiver, provider] = fixture.holders;
    const [asReceiver, asProvider] = [await actorOf(t, receiver.token), await actorOf(t, provider.token)];
    const exchanges = t.app.get(ExchangesService);
    const accepted = async (): Promise<Exchange> => {
      const { exchange } = await exchanges.propose(asReceiver, {
        communityId: fixture.community.id,
        counterpartyId: provider.memberId,
        role: ExchangeRole.RECEIVER,
        estimatedAmount: 60n,
        description: 'Weeding',
      });
      return (await exchanges.accept(asProvider, { exchangeId: exchange!.id })).exchange!;
    };
    const lapsing = await accepted();
    const delivered = await accepted();
    const delivery = await exchanges.markDelivered(asProvider, { exchangeId: delivered.id, actualAmount: 45n });
    expect(delivery.userErrors).toEqual([]);
    // Their times set in the past: the shortest delays a community may set are far longer than a test.
    const makeDue = `UPDATE exchanges SET due_at = now() - interval '1 second' WHERE id = ANY($1)`;
    await t.dataSource.query(makeDue, [[lapsing.id, delivered.id]]);

    expect(await t.app.get(ExchangeSweeper).sweep()).toBe(2);

    expect(await exchanges.find(asReceiver, lapsing.id)).toMatchObject({
      status: ExchangeStatus.EXPIRED,
      dueAt: null,
      reason: 'the hold expired before delivery',
    });
    expect(await exchanges.find(asReceiver, delivered.id)).toMatchObject({
      status: ExchangeStatus.CONFIRMED,
      dueAt: null,
      reason: 'confirmed automatically after the community delay',
    });
    const resolution = (exchange: Exchange) => t.ledger.resolutionOf(exchange.holdTransferId!);
    expect(await resolution(lapsing)).toMatchObject({ kind: TransferKind.VOID_PENDING, amount: 60n });
    expect(await resolution(delivered)).toMatchObject({ kind: TransferKind.POST_PENDING, amount: 45n });
    expect(await t.ledger.findAccount(receiver.account.id)).toMatchObject({ balance: 555n, pendingDebits: 0n });
    expect(await t.ledger.findAccount(provider.account.id)).toMatchObject({ balance: 45n, pendingCredits: 0n });
    // Settled, neither is due again.
    expect(await t.app.get(ExchangeSweeper).sweep()).toBe(0);
  });

  it('the export link sweeper forgets a link an hour after it expired, known as expired until then', async () => {
    const fixture = await createLedgerFixture(t, []);
    const reports = t.app.get(ReportsRepository);
    const requester = {
      kind: 'member' as const,
      memberId: fixture.coordinator.memberId,
      isAdmin: false,
      sessionId: null,
      viaPartnerAppId: null,
      withinCommunityId: null,
    };
    /** A balances link, expiring `lifetimeSeconds` from now: a negative lifetime puts its expiry in the past. */
    const link = async (lifetimeSeconds: number): Promise<string> => {
      const hash = tokenHash(newToken('px_'));
      await reports.insertExportLink({
        tokenHash: hash,
        communityId: fixture.community.id,
        kind: ExportKind.BALANCES,
        accountId: null,
        period: null,
        asOf: new Date(),
        requester,
        lifetimeSeconds,
      });
      return hash;
    };
    const [forgotten, expired, live] = [await link(-3700), await link(-60), await link(3600)];

    expect(await t.app.get(ExportLinkSweeper).sweep()).toBe(1);

    expect(await reports.findExportLink(forgotten)).toBeNull();
    expect(await reports.findExportLink(expired)).toMatchObject({ expired: true });
    expect(await reports.findExportLink(live)).toMatchObject({ expired: false });
  });
});
