import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { withAccountStatus } from '../support/account-status.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { expectLedgerInvariants, asTablesOwner, startTestApp, TestApp } from '../support/test-app.js';
import { PgErrorCode, pgErrorCode } from '../../libs/database/pg-errors.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { AccountStatus } from '../../src/ledger/models/ledger-enums.js';
import { truncateError } from './truncate-refusal.js';

const FOREIGN_KEY_VIOLATION = '23503';

/** Refusals and the database's own guards, checked without going through the API. */
describe('ledger rules in the database', () => {
  let t: TestApp;
  let fixture: LedgerFixture;

  beforeAll(async () => {
    t = await startTestApp(4, undefined, asTablesOwner());
    fixture = await createLedgerFixture(t, [{ balance: 100n }, { upperLimit: 150n }, { balance: 20n }]);
  });
  afterEach(async () => expectLedgerInvariants(t.dataSource));
  afterAll(async () => t.close());

  const countTransfers = async (): Promise<number> =>
    (
      await t.dataSource.query('SELECT count(*)::int AS n FROM transfers WHERE currency_id = $1', [fixture.currency.id])
    )[0].n;
  const pay = (debitAccountId: string, creditAccountId: string, amount: bigint) =>
    t.ledger.createTransfer({
      idempotencyKey: randomUUID(),
      debitAccountId,
      creditAccountId,
      amount,
      code: 'payment',
      memo: '',
    });

  it.each([
    ['a frozen payer', AccountStatus.FROZEN, 0, TransferErrorCode.DEBIT_ACCOUNT_FROZEN],
    ['a frozen payee', AccountStatus.FROZEN, 1, TransferErrorCode.CREDIT_ACCOUNT_FROZEN],
    ['a closed payer', AccountStatus.CLOSED, 0, TransferErrorCode.DEBIT_ACCOUNT_CLOSED],
    ['a closed payee', AccountStatus.CLOSED, 1, TransferErrorCode.CREDIT_ACCOUNT_CLOSED],
  ])('refuses a transfer involving %s and changes nothing', async (_name, status, index, code) => {
    const [payer, payee] = fixture.members;
    const target = fixture.members[index];
    await withAccountStatus(t.dataSource, target.id, status, async () => {
      const before = await countTransfers();
      const result = await pay(payer.id, payee.id, 10n);
      expect(result.userErrors.map((error) => error.code)).toEqual([code]);
      expect(await countTransfers()).toBe(before);
      expect((await t.ledger.findAccount(payer.id))!.balance).toBe(100n);
    });
  });

  it('refuses a credit above the upper limit', async () => {
    const capped = fixture.members[1];
    const result = await pay(fixture.issuance.id, capped.id, 151n);
    expect(result.userErrors[0].code).toBe(TransferErrorCode.EXCEEDS_UPPER_LIMIT);
    expect((await t.ledger.findAccount(capped.id))!.balance).toBe(0n);
  });

  it('refuses accounts of different currencies', async () => {
    const other = await createLedgerFixture(t, [{ balance: 10n }]);
    const result = await pay(other.members[0].id, fixture.members[0].id, 5n);
    expect(result.userErrors[0].code).toBe(TransferErrorCode.CURRENCY_MISMATCH);
  });

  it('refuses unknown accounts without recording anything', async () => {
    const before = await countTransfers();
    expect((await pay('999999999', fixture.members[0].id, 5n)).userErrors[0].code).toBe(
      TransferErrorCode.DEBIT_ACCOUNT_NOT_FOUND,
    );
    expect((await pay(fixture.members[0].id, '999999999', 5n)).userErrors[0].code).toBe(
      TransferErrorCode.CREDIT_ACCOUNT_NOT_FOUND,
    );
    expect(await countTransfers()).toBe(before);
  });

  it('lets the database itself refuse zero amounts, self-transfers and unbalanced postings', async () => {
    const [a, b] = fixture.members;
    const call = (amount: string, debit: string, credit: string) =>
      t.dataSource.query("SELECT outcome FROM ledger_create_transfer($1, 'x', $2, $3, $4, 'payment', '', '{}')", [
        randomUUID(),
        debit,
        credit,
        amount,
      ]);
    expect((await call('0', a.id, b.id))[0].outcome).toBe('amount_must_be_positive');
    expect((await call('5', a.id, a.id))[0].outcome).toBe('same_account');
    await expect(
      t.dataSource.transaction(async (manager) => {
        const [transfer] = await manager.query(
          `INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code)
           VALUES ($1, 'x', $2, $3, $4, 5, 'payment') RETURNING id`,
          [randomUUID(), fixture.currency.id, a.id, b.id],
        );
        await manager.query(
          'INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version) VALUES ($1, $2, $3, -5, 0, 999)',
          [transfer.id, a.id, fixture.currency.id],
        );
      }),
    ).rejects.toMatchObject({ driverError: { code: 'PL002' } });
  });

  describe('postings written around the ledger function', () => {
    const insertTransfer = (
      manager: EntityManager,
      kind: 'direct' | 'pending',
      [debit, credit]: string[],
      currencyId = fixture.currency.id,
    ): Promise<{ id: string }[]> =>
      manager.query(
        `INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, kind)
         VALUES ($1, 'x', $2, $3, $4, 5, 'payment', $5) RETURNING id`,
        [randomUUID(), currencyId, debit, credit, kind],
      );
    const insertPostings = (
      manager: EntityManager,
      transferId: string,
      sides: [string, number][],
      currencyId = fixture.currency.id,
    ): Promise<unknown> =>
      manager.query(
        `INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version)
         SELECT $1, side.account_id, $2, side.amount, 0, 900 + side.n
           FROM unnest($3::bigint[], $4::bigint[]) WITH ORDINALITY AS side(account_id, amount, n)`,
        [transferId, currencyId, sides.map(([account]) => account), sides.map(([, amount]) => amount)],
      );

    // Two postings, as many as a transfer needs: only the check of each posting against its transfer sees them.
    it.each([
      ['a side of the wrong amount', 'direct' as const, [-5, 4]],
      ['a side the wrong way round', 'direct' as const, [5, -5]],
      ['postings on a hold, which moves nothing', 'pending' as const, [-5, 5]],
    ])('refuses %s in the statement that writes it', async (_name, kind, [debitAmount, creditAmount]) => {
      const [a, b] = fixture.members;
      const before = await countTransfers();
      await expect(
        t.dataSource.transaction(async (manager) => {
          const [transfer] = await insertTransfer(manager, kind, [a.id, b.id]);
          await insertPostings(manager, transfer.id, [
            [a.id, debitAmount],
            [b.id, creditAmount],
          ]);
        }),
      ).rejects.toMatchObject({ driverError: { code: 'PL002' } });
      expect(await countTransfers()).toBe(before);
    });

    it('refuses a third posting on a committed transfer, even one of its own sides', async () => {
      const [payer, payee] = fixture.members;
      const transfer = (await pay(payer.id, payee.id, 1n)).transfer!;
      await expect(insertPostings(t.dataSource.manager, transfer.id, [[payee.id, 1]])).rejects.toMatchObject({
        driverError: { code: PgErrorCode.uniqueViolation },
      });
      expect((await t.ledger.postingsOfTransfer(transfer.id)).map((posting) => posting.amount)).toEqual([-1n, 1n]);
    });

    // Postings have no foreign keys: the check over the statement's postings stands for them.
    it('refuses a posting that names no transfer', async () => {
      await expect(
        insertPostings(t.dataSource.manager, '999999999', [[fixture.members[0].id, -5]]),
      ).rejects.toMatchObject({
        driverError: { code: PgErrorCode.unbalancedTransfer },
      });
    });

    it("refuses postings in another currency than their transfer's, on its own accounts", async () => {
      const other = await createLedgerFixture(t, []);
      const [a, b] = fixture.members;
      const before = await countTransfers();
      await expect(
        t.dataSource.transaction(async (manager) => {
          const [transfer] = await insertTransfer(manager, 'direct', [a.id, b.id]);
          await insertPostings(
            manager,
            transfer.id,
            [
              [a.id, -5],
              [b.id, 5],
            ],
            other.currency.id,
          );
        }),
      ).rejects.toMatchObject({ driverError: { code: PgErrorCode.unbalancedTransfer } });
      expect(await countTransfers()).toBe(before);
    });

    // Unique over the transfers that name one (partial indexes): a second resolution or reversal cannot even be stored.
    it.each([
      ['resolution of one hold', 'pending_id', 'void_pending', 'pending'],
      ['reversal of one transfer', 'reverses_id', 'direct', 'direct'],
    ] as const)('refuses a second %s', async (_name, column, kind, namedKind) => {
      const [a, b] = fixture.members;
      const before = await countTransfers();
      await expect(
        t.dataSource.transaction(async (manager) => {
          const [named] = await insertTransfer(manager, namedKind, [a.id, b.id]);
          for (let time = 0; time < 2; time += 1)
            await manager.query(
              `INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, kind, ${column})
               VALUES ($1, 'x', $2, $3, $4, 5, 'payment', $5, $6)`,
              [randomUUID(), fixture.currency.id, b.id, a.id, kind, named.id],
            );
        }),
      ).rejects.toMatchObject({ driverError: { code: PgErrorCode.uniqueViolation } });
      expect(await countTransfers()).toBe(before);
    });

    // Transfers have no foreign key to currencies: their accounts' (composite) ones make it their accounts' currency.
    it.each([
      ["another community's currency", async () => (await createLedgerFixture(t, [])).currency.id],
      ['a currency that does not exist', async () => '999999999'],
    ])('refuses a transfer in %s', async (_name, currencyOf) => {
      const [a, b] = fixture.members;
      const currencyId = await currencyOf();
      await expect(insertTransfer(t.dataSource.manager, 'pending', [a.id, b.id], currencyId)).rejects.toMatchObject({
        driverError: {
          code: FOREIGN_KEY_VIOLATION,
          detail: expect.stringContaining('_account_id, currency_id)='),
        },
      });
    });
  });

  it('refuses to break a limit even when written around the ledger function', async () => {
    const [payer] = fixture.members;
    await expect(
      t.dataSource.query('UPDATE accounts SET posted_debits = posted_debits + 1000 WHERE id = $1', [payer.id]),
    ).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
  });

  describe('immutability', () => {
    let transferId: string;
    beforeAll(async () => {
      const [payer, payee] = fixture.members;
      transferId = (await pay(payer.id, payee.id, 1n)).transfer!.id;
    });

    it.each([
      ['UPDATE transfers SET amount = amount + 1 WHERE id = $1'],
      ['DELETE FROM transfers WHERE id = $1'],
      ['UPDATE postings SET amount = amount * 2 WHERE transfer_id = $1'],
      ['UPDATE postings SET balance_after = 0 WHERE transfer_id = $1'],
      ['DELETE FROM postings WHERE transfer_id = $1'],
    ])('refuses %s', async (sql) => {
      await expect(t.dataSource.query(sql, [transferId])).rejects.toMatchObject({ driverError: { code: 'PL001' } });
      const postings = await t.ledger.postingsOfTransfer(transferId);
      expect(postings.map((posting) => posting.amount)).toEqual([-1n, 1n]);
    });

    it.each([['transfers'], ['postings'], ['transfer_failures']])('refuses TRUNCATE %s', async (table) => {
      expect(pgErrorCode(await truncateError(t.dataSource, table))).toBe(PgErrorCode.historyIsAppendOnly);
    });

    it('refuses rewriting a recorded failure', async () => {
      const [payer, payee] = fixture.members;
      await pay(payer.id, payee.id, 10_000n);
      await expect(t.dataSource.query("UPDATE transfer_failures SET code = 'created'")).rejects.toMatchObject({
        driverError: { code: 'PL001' },
      });
    });
  });
});
