import { randomUUID } from 'node:crypto';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';

/** docs/testing.md's concurrency scenarios, against real PostgreSQL through the ledger's one write path. */
describe('ledger under concurrency', () => {
  const t = useTestApp(24);

  const transfer = (
    fields: Partial<CreateTransferInput> & Pick<CreateTransferInput, 'debitAccountId' | 'creditAccountId' | 'amount'>,
  ) => t.ledger.createTransfer({ idempotencyKey: randomUUID(), code: 'payment', memo: '', ...fields });

  it('keeps the total constant in every mid-run read while many workers move money (bank test)', async () => {
    const accounts = 5;
    const initial = 1_000n;
    const { members, currency } = await createLedgerFixture(
      t,
      Array.from({ length: accounts }, () => ({ balance: initial })),
    );
    const ids = members.map((member) => member.id);
    const total = initial * BigInt(accounts);
    let running = true;
    const reads: bigint[] = [];

    const reader = (async () => {
      while (running) {
        const [row] = await t.dataSource.query(
          'SELECT sum(posted_credits - posted_debits)::text AS total FROM accounts WHERE currency_id = $1 AND kind = $2',
          [currency.id, 'member'],
        );
        reads.push(BigInt(row.total));
      }
    })();
    const worker = async (seed: number): Promise<number> => {
      let made = 0;
      for (let i = 0; i < 40; i++) {
        const from = ids[(seed + i) % accounts];
        const to = ids[(seed * 7 + i * 3 + 1) % accounts];
        if (from === to) continue;
        const result = await transfer({
          debitAccountId: from,
          creditAccountId: to,
          amount: BigInt(1 + ((seed * 31 + i * 17) % 120)),
        });
        if (result.transfer) made++;
        else expect(result.userErrors[0].code).toBe(TransferErrorCode.EXCEEDS_LOWER_LIMIT);
      }
      return made;
    };
    let made: number[];
    try {
      made = await Promise.all(Array.from({ length: 16 }, (_, seed) => worker(seed)));
    } finally {
      running = false;
      await reader;
    }

    expect(made.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toBe(total);
    const accountsAfter = await Promise.all(ids.map((id) => t.ledger.findAccount(id)));
    expect(accountsAfter.reduce((sum, account) => sum + account!.balance, 0n)).toBe(total);
  });

  it('lets exactly floor(X/a) of K concurrent debits through (double spend)', async () => {
    const balance = 100n;
    const amount = 30n;
    const { members } = await createLedgerFixture(t, [{ balance }, {}]);
    const [payer, payee] = members;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => transfer({ debitAccountId: payer.id, creditAccountId: payee.id, amount })),
    );
    const succeeded = results.filter((result) => result.transfer);
    const refused = results.filter((result) => result.userErrors[0]?.code === TransferErrorCode.EXCEEDS_LOWER_LIMIT);
    expect(succeeded).toHaveLength(Number(balance / amount));
    expect(refused).toHaveLength(20 - Number(balance / amount));
    expect((await t.ledger.findAccount(payer.id))!.balance).toBe(balance % amount);
  });

  it('honours a credit line exactly under concurrent debits', async () => {
    const { members } = await createLedgerFixture(t, [{ balance: 10n, lowerLimit: -50n }, {}]);
    const [payer, payee] = members;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => transfer({ debitAccountId: payer.id, creditAccountId: payee.id, amount: 7n })),
    );
    expect(results.filter((result) => result.transfer)).toHaveLength(8); // 60 available, 7 each
    expect((await t.ledger.findAccount(payer.id))!.balance).toBe(10n - 56n);
  });

  it('creates one transfer when one key is sent 20 times at once (idempotency race)', async () => {
    const { members } = await createLedgerFixture(t, [{ balance: 500n }, {}]);
    const [payer, payee] = members;
    const idempotencyKey = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        transfer({ idempotencyKey, debitAccountId: payer.id, creditAccountId: payee.id, amount: 25n }),
      ),
    );
    const ids = new Set(results.map((result) => result.transfer?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeDefined();
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect((await t.ledger.findAccount(payer.id))!.balance).toBe(475n);
    expect((await t.ledger.findAccount(payee.id))!.balance).toBe(25n);
    const [{ count }] = await t.dataSource.query(
      'SELECT count(*)::int AS count FROM transfers WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    expect(count).toBe(1);
  });

  it('answers a conflict for the same key with a different amount, and moves nothing', async () => {
    const { members } = await createLedgerFixture(t, [{ balance: 500n }, {}]);
    const [payer, payee] = members;
    const idempotencyKey = randomUUID();
    await transfer({ idempotencyKey, debitAccountId: payer.id, creditAccountId: payee.id, amount: 25n });
    const conflicting = await Promise.all(
      [26n, 27n, 25n].map((amount) =>
        transfer({ idempotencyKey, debitAccountId: payer.id, creditAccountId: payee.id, amount }),
      ),
    );
    expect(conflicting.map((result) => result.userErrors[0]?.code ?? 'replayed')).toEqual([
      TransferErrorCode.IDEMPOTENCY_KEY_CONFLICT,
      TransferErrorCode.IDEMPOTENCY_KEY_CONFLICT,
      'replayed',
    ]);
    expect((await t.ledger.findAccount(payer.id))!.balance).toBe(475n);
  });

  it('keeps a failed key failed, even once the money is there', async () => {
    const { members, issuance } = await createLedgerFixture(t, [{ balance: 10n }, {}]);
    const [payer, payee] = members;
    const idempotencyKey = randomUUID();
    const first = await transfer({ idempotencyKey, debitAccountId: payer.id, creditAccountId: payee.id, amount: 50n });
    expect(first.userErrors[0].code).toBe(TransferErrorCode.EXCEEDS_LOWER_LIMIT);
    await transfer({ debitAccountId: issuance.id, creditAccountId: payer.id, amount: 100n });
    const retried = await Promise.all(
      Array.from({ length: 5 }, () =>
        transfer({ idempotencyKey, debitAccountId: payer.id, creditAccountId: payee.id, amount: 50n }),
      ),
    );
    for (const result of retried)
      expect(result.userErrors[0].code).toBe(TransferErrorCode.IDEMPOTENCY_KEY_ALREADY_FAILED);
    const different = await transfer({
      idempotencyKey,
      debitAccountId: payer.id,
      creditAccountId: payee.id,
      amount: 5n,
    });
    expect(different.userErrors[0].code).toBe(TransferErrorCode.IDEMPOTENCY_KEY_CONFLICT);
    expect((await t.ledger.findAccount(payee.id))!.balance).toBe(0n);
  });

  it('never deadlocks on crossing transfers between the same accounts', async () => {
    const { members } = await createLedgerFixture(t, [{ balance: 1000n }, { balance: 1000n }]);
    const [a, b] = members;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        transfer({ debitAccountId: i % 2 ? a.id : b.id, creditAccountId: i % 2 ? b.id : a.id, amount: 3n }),
      ),
    );
    expect(results.every((result) => result.transfer)).toBe(true);
    expect((await t.ledger.findAccount(a.id))!.balance).toBe(1000n);
  });
});
