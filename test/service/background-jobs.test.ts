import { randomUUID } from 'node:crypto';
import { waitUntil } from '../support/held-locks.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { made } from '../support/ledger-rows.js';
import { expectLedgerInvariants, TestServices } from '../support/test-app.js';
import { startTestServices } from '../support/test-services.js';
import { TransferKind } from '../../src/ledger/models/ledger-enums.js';
import { PendingExpirySweeper } from '../../src/ledger/pending-expiry.sweeper.js';

/** The pending-expiry sweeper's period (src/ledger/pending-expiry.sweeper.ts): a running timer has run within it. */
const TICK_MS = 1000;

/** BACKGROUND_JOBS: the one test that needs the timers themselves, so it waits for them. */
describe('the background jobs switch', () => {
  const running: TestServices[] = [];
  const start = async (jobs: 'on' | 'off'): Promise<TestServices> => {
    const services = await startTestServices(4, { BACKGROUND_JOBS: jobs });
    running.push(services);
    return services;
  };
  afterAll(async () => {
    for (const services of running) await services.close();
  });

  it('off, a due hold waits for a sweep called by hand; on, the timer voids it with no call', async () => {
    const off = await start('off');
    const {
      members: [payer, payee],
    } = await createLedgerFixture(off, [{ balance: 100n }, {}]);
    const hold = made(
      await off.ledger.createTransfer({
        idempotencyKey: `jobs-${randomUUID()}`,
        debitAccountId: payer.id,
        creditAccountId: payee.id,
        amount: 30n,
        code: 'payment',
        memo: '',
        pending: true,
        timeoutSeconds: 1,
      }),
    );
    const resolution = () => off.ledger.resolutionOf(hold.id);
    // The shortest timeout a hold takes is a second: this waits for it by the database's clock, then for a tick more.
    const due = 'SELECT timeout_at < clock_timestamp() AS due FROM transfers WHERE id = $1';
    await waitUntil('the hold is due', async () => (await off.dataSource.query(due, [hold.id]))[0].due);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS + 500));
    expect(await resolution()).toBeNull();

    await start('on');
    await waitUntil('the timer voids the hold', async () => (await resolution()) !== null, 10_000);

    expect(await resolution()).toMatchObject({ kind: TransferKind.VOID_PENDING, code: 'expired' });
    expect(await off.app.get(PendingExpirySweeper).sweep()).toBe(0);
    await expectLedgerInvariants(off.dataSource);
  });
});
