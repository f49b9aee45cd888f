import { rowId } from '../support/global-ids.js';
import { holdLocks } from '../support/held-locks.js';
import { LedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import {
  accept,
  acceptedExchange,
  amountsWithCode,
  confirm,
  deliveredExchange,
  exchangeCommunity,
  ExchangeView,
  expectTrail,
  fetchExchange,
  holdOf,
  listingQuantity,
  makeDue,
  money,
  moneyOf,
  offerGoods,
  Party,
  proposedExchange,
  proposeOn,
  reviewExchange,
  stepOutcome,
  sweepExchanges,
} from './exchange-client.js';
import { succeed } from './member-client.js';

const ESTIMATE = 60;
/** How many exchanges each race runs at once: enough for both orders to come up, few enough to stay quick. */
const ROUNDS = 6;

/** Sorted, so that a race's outcomes compare whoever won. */
const sorted = (outcomes: string[]): string[] => [...outcomes].sort();

/**
 * Steps of the exchange workflow racing each other through GraphQL over real HTTP: whatever the
 * order, each exchange ends in one consistent state, money moves at most once, stock never goes
 * below zero, and the audit and outbox trail tells exactly what happened.
 */
describe('exchange races over GraphQL', () => {
  const t = useTestApp(24);

  /** A community whose receiver holds 600 and provider nothing, with as many extra receivers (600 each) as asked. */
  async function scene(
    extraReceivers = 0,
  ): Promise<{ fixture: LedgerFixture; communityId: string; receiver: Party; provider: Party; receivers: Party[] }> {
    const { fixture, parties } = await exchangeCommunity(t, [
      { balance: 600n },
      {},
      ...Array.from({ length: extraReceivers }, () => ({ balance: 600n })),
    ]);
    const [receiver, provider, ...receivers] = parties;
    return { fixture, communityId: fixture.community.id, receiver, provider, receivers };
  }

  const times = <T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: count }, (_, index) => make(index)));
  /** Made one after the other, so that the exchanges' ids (and list order) follow the index. */
  async function inTurn<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
    const made: T[] = [];
    for (let index = 0; index < count; index++) made.push(await make(index));
    return made;
  }

  it('a double confirm pays once: one succeeds, the other is WRONG_STATUS (an approved extra too)', async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => deliveredExchange(receiver, provider, communityId, ESTIMATE, 90));

    const outcomes = await times(ROUNDS, (index) =>
      Promise.all(
        [1, 2].map(() =>
          stepOutcome(receiver.client, 'confirmExchange', {
            exchangeId: exchanges[index].id,
            approveAmountAboveHold: true,
          }),
        ),
      ),
    );

    expect(outcomes.map(sorted)).toEqual(Array(ROUNDS).fill(['OK', 'WRONG_STATUS']));
    expect(await moneyOf(receiver, provider)).toEqual([money(600 - ROUNDS * 90), money(ROUNDS * 90)]);
    expect(await amountsWithCode(provider, 'exchange_extra')).toEqual(Array(ROUNDS).fill('30'));
    for (const exchange of exchanges)
      await expectTrail(t, exchange, ['proposed', 'accepted', 'delivered', 'confirmed']);
  });

  it('a double accept holds once', async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => proposedExchange(receiver, provider, communityId, ESTIMATE));

    const outcomes = await times(ROUNDS, (index) =>
      Promise.all(
        [1, 2].map(() => stepOutcome(provider.client, 'acceptExchange', { exchangeId: exchanges[index].id })),
      ),
    );

    expect(outcomes.map(sorted)).toEqual(Array(ROUNDS).fill(['OK', 'WRONG_STATUS']));
    const held = ROUNDS * ESTIMATE;
    expect(await moneyOf(receiver, provider)).toEqual([money(600, 600 - held, held), money(0, 0, 0, held)]);
    for (const exchange of exchanges) await expectTrail(t, exchange, ['proposed', 'accepted']);
  });

  it('accept racing cancel: the cancel always wins in the end (before or after the hold), and no hold is left', async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => proposedExchange(receiver, provider, communityId, ESTIMATE));

    const outcomes = await times(ROUNDS, (index) =>
      Promise.all([
        stepOutcome(provider.client, 'acceptExchange', { exchangeId: exchanges[index].id }),
        stepOutcome(receiver.client, 'cancelExchange', { exchangeId: exchanges[index].id, reason: 'Changed my mind' }),
      ]),
    );

    for (const [index, [accepted, cancelled]] of outcomes.entries()) {
      expect(cancelled).toBe('OK');
      expect(['OK', 'WRONG_STATUS']).toContain(accepted);
      const exchange = await fetchExchange(receiver.client, exchanges[index].id);
      expect(exchange).toMatchObject({ status: 'CANCELLED', reason: 'Changed my mind' });
      if (accepted === 'OK') {
        expect(await holdOf(receiver.client, exchange.holdTransferId!)).toMatchObject({ pendingStatus: 'VOIDED' });
        await expectTrail(t, exchange, ['proposed', 'accepted', 'cancelled']);
      } else {
        expect(exchange.holdTransferId).toBeNull();
        await expectTrail(t, exchange, ['proposed', 'cancelled']);
      }
    }
    expect(await moneyOf(receiver, provider)).toEqual([money(600), money(0)]);
  });

  it('delivery racing cancel: exactly one goes through, and the hold is either still held (delivered) or released (cancelled)', async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => acceptedExchange(receiver, provider, communityId, ESTIMATE));

    const outcomes = await times(ROUNDS, (index) =>
      Promise.all([
        stepOutcome(provider.client, 'markExchangeDelivered', { exchangeId: exchanges[index].id, actualAmount: '60' }),
        stepOutcome(receiver.client, 'cancelExchange', { exchangeId: exchanges[index].id }),
      ]),
    );

    let stillHeld = 0;
    for (const [index, [delivered, cancelled]] of outcomes.entries()) {
      expect(sorted([delivered, cancelled])).toEqual(['OK', 'WRONG_STATUS']);
      const exchange = await fetchExchange(receiver.client, exchanges[index].id);
      const winner = delivered === 'OK' ? 'delivered' : 'cancelled';
      expect(exchange.status).toBe(winner.toUpperCase());
      expect(await holdOf(receiver.client, exchange.holdTransferId!)).toMatchObject({
        pendingStatus: winner === 'delivered' ? 'OPEN' : 'VOIDED',
      });
      await expectTrail(t, exchange, ['proposed', 'accepted', winner]);
      if (winner === 'delivered') stillHeld += ESTIMATE;
    }
    expect(await moneyOf(receiver, provider)).toEqual([
      money(600, 600 - stillHeld, stillHeld),
      money(0, 0, 0, stillHeld),
    ]);
  });

  it('confirm racing dispute: exactly one goes through; confirmed pays, disputed still holds', async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => deliveredExchange(receiver, provider, communityId, ESTIMATE, 45));

    const outcomes = await times(ROUNDS, (index) =>
      Promise.all([
        stepOutcome(receiver.client, 'confirmExchange', { exchangeId: exchanges[index].id }),
        stepOutcome(provider.client, 'disputeExchange', { exchangeId: exchanges[index].id, reason: 'It came to more' }),
      ]),
    );

    let paid = 0;
    let held = 0;
    for (const [index, [confirmed, disputed]] of outcomes.entries()) {
      expect(sorted([confirmed, disputed])).toEqual(['OK', 'WRONG_STATUS']);
      const winner = confirmed === 'OK' ? 'confirmed' : 'disputed';
      expect((await fetchExchange(receiver.client, exchanges[index].id)).status).toBe(winner.toUpperCase());
      await expectTrail(t, exchanges[index], ['proposed', 'accepted', 'delivered', winner]);
      if (winner === 'confirmed') paid += 45;
      else held += ESTIMATE;
    }
    expect(await moneyOf(receiver, provider)).toEqual([
      money(600 - paid, 600 - paid - held, held),
      money(paid, paid, 0, held),
    ]);
  });

  it("the sweeper racing the receiver's confirm pays once: what was approved if the receiver won, only the hold if the sweeper did", async () => {
    const { communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => deliveredExchange(receiver, provider, communityId, ESTIMATE, 90));
    for (const exchange of exchanges) await makeDue(t, exchange.id);

    const [outcomes] = await Promise.all([
      times(ROUNDS, (index) =>
        stepOutcome(receiver.client, 'confirmExchange', {
          exchangeId: exchanges[index].id,
          approveAmountAboveHold: true,
        }),
      ),
      sweepExchanges(t),
    ]);

    let paid = 0;
    for (const [index, outcome] of outcomes.entries()) {
      expect(['OK', 'WRONG_STATUS']).toContain(outcome);
      const confirmed = await fetchExchange(receiver.client, exchanges[index].id);
      expect(confirmed.status).toBe('CONFIRMED');
      expect(confirmed.reason).toBe(outcome === 'OK' ? null : 'confirmed automatically after the community delay');
      await expectTrail(t, confirmed, ['proposed', 'accepted', 'delivered', 'confirmed']);
      paid += outcome === 'OK' ? 90 : ESTIMATE;
    }
    expect(await moneyOf(receiver, provider)).toEqual([money(600 - paid), money(paid)]);
    expect(await amountsWithCode(provider, 'exchange_extra')).toHaveLength(
      outcomes.filter((outcome) => outcome === 'OK').length,
    );
  });

  it('sweepers racing over an exchange the ledger will not settle (a frozen account) dispute it once', async () => {
    const { fixture, communityId, receiver, provider } = await scene();
    const exchanges = await inTurn(ROUNDS, () => deliveredExchange(receiver, provider, communityId, ESTIMATE, 45));
    await succeed(fixture.asCoordinator(), 'freezeAccount', { accountId: provider.accountId, reason: 'Under review' });
    try {
      for (const exchange of exchanges) await makeDue(t, exchange.id);

      await times(12, () => sweepExchanges(t));

      for (const exchange of exchanges) {
        expect((await fetchExchange(receiver.client, exchange.id)).status).toBe('DISPUTED');
        await expectTrail(t, exchange, ['proposed', 'accepted', 'delivered', 'disputed']);
      }
    } finally {
      await succeed(fixture.asCoordinator(), 'unfreezeAccount', { accountId: provider.accountId, reason: 'Cleared' });
    }
    const held = ROUNDS * ESTIMATE;
    expect(await moneyOf(receiver, provider)).toEqual([money(600, 600 - held, held), money(0, 0, 0, held)]);
  });

  it("a member's dispute queued behind a sweeper that fails to settle finds the exchange disputed: it is disputed once", async () => {
    const { fixture, communityId, receiver, provider } = await scene();
    const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 45);
    await succeed(fixture.asCoordinator(), 'freezeAccount', { accountId: provider.accountId, reason: 'Under review' });
    // The test holds the provider's account: the sweeper that takes the due exchange waits for it (holding the exchange), and the
    // receiver's dispute queues behind that sweeper. The refused settlement is undone and the sweeper disputes the exchange in the
    // same transaction, so the dispute that was queued finds it disputed already.
    const locks = await holdLocks(t, [
      ['SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [rowId(provider.accountId)]],
    ]);
    let disputed: string;
    try {
      await makeDue(t, delivered.id);
      const sweeping = sweepExchanges(t);
      await locks.waitForWaiters(1);
      const disputing = stepOutcome(receiver.client, 'disputeExchange', {
        exchangeId: delivered.id,
        reason: 'Only half done',
      });
      await locks.waitForWaiters(2);
      await locks.release();
      disputed = await disputing;
      await sweeping;
    } finally {
      await locks.release();
      await succeed(fixture.asCoordinator(), 'unfreezeAccount', { accountId: provider.accountId, reason: 'Cleared' });
    }

    expect(disputed).toBe('WRONG_STATUS');
    expect(await fetchExchange(receiver.client, delivered.id)).toMatchObject({
      status: 'DISPUTED',
      reason: 'could not be confirmed automatically: the ledger refused to settle the hold',
    });
    await expectTrail(t, delivered, ['proposed', 'accepted', 'delivered', 'disputed']);
    expect(await moneyOf(receiver, provider)).toEqual([money(600, 540, 60), money(0, 0, 0, 60)]);
  });

  describe('goods', () => {
    it('two members racing for the last unit: one accept succeeds, the other is OUT_OF_STOCK, and the listing ends at 0', async () => {
      const {
        communityId,
        provider,
        receivers: [first, second],
      } = await scene(2);
      const listing = await offerGoods(provider, communityId, 1);
      const exchanges = await inTurn(2, (index) =>
        proposeOn([first, second][index], listing.id, ESTIMATE, { quantity: 1 }),
      );

      const outcomes = await Promise.all(
        exchanges.map((exchange) => stepOutcome(provider.client, 'acceptExchange', { exchangeId: exchange.id })),
      );

      expect(sorted(outcomes)).toEqual(['OK', 'OUT_OF_STOCK']);
      expect(await listingQuantity(provider.client, listing.id)).toBe(0);
      const winner = outcomes.indexOf('OK');
      await expectGoodsRaceSettled([first, second], provider, exchanges, (index) => index === winner);
    });

    it('ten accepts at once on a listing of 3: exactly 3 succeed, the rest are OUT_OF_STOCK', async () => {
      const { communityId, provider, receivers } = await scene(10);
      const listing = await offerGoods(provider, communityId, 3);
      const exchanges = await inTurn(10, (index) => proposeOn(receivers[index], listing.id, ESTIMATE, { quantity: 1 }));

      const outcomes = await Promise.all(
        exchanges.map((exchange) => stepOutcome(provider.client, 'acceptExchange', { exchangeId: exchange.id })),
      );

      expect(sorted(outcomes)).toEqual([...Array(3).fill('OK'), ...Array(7).fill('OUT_OF_STOCK')]);
      expect(await listingQuantity(provider.client, listing.id)).toBe(0);
      await expectGoodsRaceSettled(receivers, provider, exchanges, (index) => outcomes[index] === 'OK');
    });

    it('accepting some exchanges while others on the same listing are cancelled: all go through, and the stock adds up', async () => {
      const { communityId, provider, receivers } = await scene(2 * ROUNDS);
      const listing = await offerGoods(provider, communityId, 2 * ROUNDS);
      const toCancel = await inTurn(ROUNDS, (index) =>
        proposeOn(receivers[index], listing.id, ESTIMATE, { quantity: 1 }),
      );
      for (const exchange of toCancel) await accept(provider, exchange.id);
      const toAccept = await inTurn(ROUNDS, (index) =>
        proposeOn(receivers[ROUNDS + index], listing.id, ESTIMATE, { quantity: 1 }),
      );
      expect(await listingQuantity(provider.client, listing.id)).toBe(ROUNDS);

      // Cancelling releases the hold then the units; accepting reserves units then holds: the two lock in opposite orders.
      const outcomes = await Promise.all([
        ...toCancel.map((exchange, index) =>
          stepOutcome(receivers[index].client, 'cancelExchange', { exchangeId: exchange.id }),
        ),
        ...toAccept.map((exchange) => stepOutcome(provider.client, 'acceptExchange', { exchangeId: exchange.id })),
      ]);

      expect(outcomes).toEqual(Array(2 * ROUNDS).fill('OK'));
      expect(await listingQuantity(provider.client, listing.id)).toBe(ROUNDS);
      await expectGoodsRaceSettled(receivers, provider, [...toCancel, ...toAccept], (index) => index >= ROUNDS);
    });

    /** After a race for stock: those who got it are held 60 and accepted, the others untouched; each trail says which. */
    async function expectGoodsRaceSettled(
      receivers: Party[],
      provider: Party,
      exchanges: ExchangeView[],
      gotIt: (index: number) => boolean,
    ): Promise<void> {
      let held = 0;
      for (const [index, exchange] of exchanges.entries()) {
        const receiver = receivers[index];
        const current = await fetchExchange(receiver.client, exchange.id);
        if (gotIt(index)) {
          held += ESTIMATE;
          expect(current.status).toBe('ACCEPTED');
          expect(await moneyOf(receiver)).toEqual([money(600, 540, 60)]);
          await expectTrail(t, exchange, ['proposed', 'accepted']);
        } else {
          expect(['PROPOSED', 'CANCELLED']).toContain(current.status);
          expect(await moneyOf(receiver)).toEqual([money(600)]);
          await expectTrail(
            t,
            exchange,
            current.status === 'PROPOSED' ? ['proposed'] : ['proposed', 'accepted', 'cancelled'],
          );
        }
      }
      expect(await moneyOf(provider)).toEqual([money(0, 0, 0, held)]);
    }
  });

  it('a double review counts once: one is kept, the other is ALREADY_REVIEWED', async () => {
    const { communityId, receiver, provider } = await scene();
    const delivered = await deliveredExchange(receiver, provider, communityId, ESTIMATE, 60);
    await confirm(receiver, delivered.id);

    const payloads = await Promise.all(
      [5, 1].map((rating) => reviewExchange(receiver.client, { exchangeId: delivered.id, rating })),
    );

    expect(sorted(payloads.map((payload) => payload.userErrors[0]?.code ?? 'OK'))).toEqual(['ALREADY_REVIEWED', 'OK']);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM reviews WHERE exchange_id = $1', [
      rowId(delivered.id),
    ]);
    expect(count).toBe(1);
    expect(await moneyOf(receiver, provider)).toEqual([money(540), money(60)]);
  });
});
