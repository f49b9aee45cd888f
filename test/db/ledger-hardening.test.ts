import { randomUUID } from 'node:crypto';
import { createLedgerFixture, FixtureMember } from '../support/ledger-fixture.js';
import { errorCodes, made } from '../support/ledger-rows.js';
import { useTestApp } from '../support/test-app.js';
import { PgErrorCode } from '../../libs/database/pg-errors.js';
import { ExchangesService } from '../../src/exchanges/exchanges.service.js';
import { ExchangeRole, ExchangeStatus } from '../../src/exchanges/models/exchange-enums.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { LedgerCaller } from '../../src/ledger/ledger-caller.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { BatchMode } from '../../src/ledger/models/ledger-enums.js';

const { BALANCE_OUT_OF_RANGE, IDEMPOTENCY_KEY_ALREADY_FAILED } = TransferErrorCode;

/** 2^53 - 1: the API promises every amount, total and balance stays within ±MAX_SAFE. */
const MAX_SAFE = 9007199254740991n;

/** Issue 11, in the database: the safe range, and idempotency keys scoped to their caller. */
describe('ledger hardening', () => {
  const t = useTestApp({ poolSize: 4, owner: true });

  const newKey = (): string => `hard-${randomUUID()}`;
  const transfer = (
    debitAccountId: string,
    creditAccountId: string,
    amount: bigint,
    extra: Partial<CreateTransferInput> = {},
    caller?: LedgerCaller,
  ) =>
    t.ledger.createTransfer(
      { idempotencyKey: newKey(), debitAccountId, creditAccountId, amount, code: 'payment', memo: '', ...extra },
      { caller },
    );
  const totals = async (account: Account) => {
    const { postedDebits, postedCredits, pendingDebits, pendingCredits, balance, availableBalance } =
      (await t.ledger.findAccount(account.id))!;
    return { postedDebits, postedCredits, pendingDebits, pendingCredits, balance, availableBalance };
  };
  const allWithinRange = async (...accounts: Account[]): Promise<boolean> =>
    (await Promise.all(accounts.map(totals))).every((served) =>
      Object.values(served).every((value) => value >= -MAX_SAFE && value <= MAX_SAFE),
    );

  describe('every total and balance stays within ±(2^53−1)', () => {
    it('refuses a second grant of 2^53−1 to one account, remembers why, and leaves both accounts within range', async () => {
      const {
        issuance,
        members: [member],
      } = await createLedgerFixture(t, [{}]);
      made(await transfer(issuance.id, member.id, MAX_SAFE, { code: 'grant' }));
      const second = {
        idempotencyKey: newKey(),
        debitAccountId: issuance.id,
        creditAccountId: member.id,
        amount: MAX_SAFE,
        code: 'grant',
        memo: '',
      };

      expect(errorCodes(await t.ledger.createTransfer(second))).toEqual([BALANCE_OUT_OF_RANGE]);
      expect((await t.ledger.createTransfer(second)).userErrors).toEqual([
        expect.objectContaining({ code: IDEMPOTENCY_KEY_ALREADY_FAILED, originalCode: BALANCE_OUT_OF_RANGE }),
      ]);
      expect(await totals(member)).toMatchObject({ postedCredits: MAX_SAFE, balance: MAX_SAFE });
      expect(await allWithinRange(member, issuance)).toBe(true);
    });

    it('refuses a hold, and a linked batch, that would take an available balance below −(2^53−1)', async () => {
      const {
        issuance,
        members: [rich, other],
      } = await createLedgerFixture(t, [{ balance: MAX_SAFE }, {}]);

      expect(errorCodes(await transfer(issuance.id, other.id, 1n, { pending: true }))).toEqual([BALANCE_OUT_OF_RANGE]);
      const { results } = await t.ledger.createTransfers({
        mode: BatchMode.LINKED,
        transfers: [
          {
            idempotencyKey: newKey(),
            debitAccountId: rich.id,
            creditAccountId: other.id,
            amount: 1n,
            code: 'payment',
            memo: '',
          },
          {
            idempotencyKey: newKey(),
            debitAccountId: issuance.id,
            creditAccountId: other.id,
            amount: 1n,
            code: 'payment',
            memo: '',
          },
        ],
      });
      expect(results.map(errorCodes)).toEqual([[TransferErrorCode.LINKED_EVENT_FAILED], [BALANCE_OUT_OF_RANGE]]);
      expect(await totals(other)).toMatchObject({ balance: 0n, pendingCredits: 0n });
      expect(await allWithinRange(rich, other, issuance)).toBe(true);
    });

    it("refuses to post a hold whose debit would take the payer's posted debits beyond the range", async () => {
      const {
        members: [payer, payee, third],
      } = await createLedgerFixture(t, [{ balance: 10n, lowerLimit: -MAX_SAFE }, {}, {}]);
      made(await transfer(payer.id, payee.id, MAX_SAFE - 5n));
      const pending = made(await transfer(payer.id, third.id, 10n, { pending: true }));

      const posted = await t.ledger.postPendingTransfer({
        idempotencyKey: newKey(),
        pendingTransferId: pending.id,
        memo: '',
      });

      expect(errorCodes(posted)).toEqual([BALANCE_OUT_OF_RANGE]);
      expect(await totals(payer)).toMatchObject({ postedDebits: MAX_SAFE - 5n, pendingDebits: 10n });
      made(await t.ledger.voidPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: pending.id, memo: '' }));
    });

    it('refuses a reversal, even forced, that would take the original payer past the range', async () => {
      const {
        issuance,
        members: [payer, payee],
      } = await createLedgerFixture(t, [{ lowerLimit: -MAX_SAFE }, {}]);
      const payment = made(await transfer(payer.id, payee.id, MAX_SAFE - 5n));
      made(await transfer(issuance.id, payer.id, 10n));

      for (const force of [false, true]) {
        const reversal = await t.ledger.reverseTransfer({
          idempotencyKey: newKey(),
          transferId: payment.id,
          force,
          reason: 'undo',
          memo: '',
        });
        expect(errorCodes(reversal)).toEqual([BALANCE_OUT_OF_RANGE]);
      }
      expect(await allWithinRange(payer, payee)).toBe(true);
    });

    it('refuses, in the ledger function itself, an amount beyond the range before any sum could overflow', async () => {
      const {
        issuance,
        members: [member],
      } = await createLedgerFixture(t, [{}]);
      const [{ outcome }] = await t.dataSource.query(
        "SELECT outcome FROM ledger_create_transfer($1, repeat('0', 64), $2, $3, $4, 'payment', '', '{}')",
        [newKey(), issuance.id, member.id, String(2n ** 63n - 1n)],
      );
      expect(outcome).toBe('balance_out_of_range');
    });

    it('has the database refuse, by CHECK, any write around the ledger functions that leaves the range', async () => {
      // No limits, so that the range is the only rule such a write breaks.
      const {
        members: [member],
      } = await createLedgerFixture(t, [{ lowerLimit: null }]);
      for (const column of ['posted_debits', 'posted_credits', 'pending_debits', 'pending_credits']) {
        await expect(
          t.dataSource.query(`UPDATE accounts SET ${column} = ${column} + $2 WHERE id = $1`, [
            member.id,
            String(MAX_SAFE + 1n),
          ]),
        ).rejects.toMatchObject({
          driverError: { code: PgErrorCode.checkViolation, constraint: 'CHK_accounts_within_safe_range' },
        });
      }
    });
  });

  it("has the database refuse an exchange's hold placed under any key but the system's", async () => {
    const {
      members: [payer, payee],
    } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    await expect(
      t.dataSource.query(
        "SELECT outcome FROM ledger_create_transfer($1, repeat('0', 64), $2, $3, 60, 'exchange_hold', '', '{}', true, NULL, 'member:1')",
        [newKey(), payer.id, payee.id],
      ),
    ).rejects.toMatchObject({
      driverError: { code: PgErrorCode.checkViolation, constraint: 'CHK_transfers_exchange_holds_are_the_systems' },
    });
    expect(await totals(payer)).toMatchObject({ pendingDebits: 0n });
  });

  describe('idempotency keys belong to their caller', () => {
    const member = (memberId: string): LedgerCaller => ({ scope: `member:${memberId}`, mayUseSystemCodes: false });

    it('lets two callers use one key, each for their own transfer, and replays each its own', async () => {
      const {
        holders: [alice, bob],
      } = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }]);
      const idempotencyKey = newKey();

      const fromAlice = made(
        await transfer(alice.account.id, bob.account.id, 10n, { idempotencyKey }, member(alice.memberId)),
      );
      const fromBob = made(
        await transfer(bob.account.id, alice.account.id, 30n, { idempotencyKey }, member(bob.memberId)),
      );
      const aliceAgain = await transfer(
        alice.account.id,
        bob.account.id,
        10n,
        { idempotencyKey },
        member(alice.memberId),
      );

      expect(fromBob.id).not.toBe(fromAlice.id);
      expect(aliceAgain).toMatchObject({ replayed: true, transfer: { id: fromAlice.id } });
      expect(await totals(alice.account)).toMatchObject({ balance: 120n });
    });

    it('answers a replay of a request recorded before keys were scoped as it was answered, and never applies it twice', async () => {
      const {
        holders: [alice, bob],
      } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const legacy = { scope: 'unscoped', mayUseSystemCodes: false };
      const paidKey = newKey();
      const refusedKey = newKey();
      // As the migration left them: a payment and a refusal (beyond the credit line) under keys without a scope.
      const paid = made(await transfer(alice.account.id, bob.account.id, 10n, { idempotencyKey: paidKey }, legacy));
      expect(
        errorCodes(await transfer(alice.account.id, bob.account.id, 1_000n, { idempotencyKey: refusedKey }, legacy)),
      ).toEqual([TransferErrorCode.EXCEEDS_LOWER_LIMIT]);

      const paidAgain = await transfer(
        alice.account.id,
        bob.account.id,
        10n,
        { idempotencyKey: paidKey },
        member(alice.memberId),
      );
      const refusedAgain = await transfer(
        alice.account.id,
        bob.account.id,
        1_000n,
        { idempotencyKey: refusedKey },
        member(alice.memberId),
      );
      const otherRequest = made(
        await transfer(alice.account.id, bob.account.id, 20n, { idempotencyKey: paidKey }, member(alice.memberId)),
      );

      expect(paidAgain).toMatchObject({ replayed: true, transfer: { id: paid.id } });
      expect(refusedAgain.userErrors).toEqual([
        expect.objectContaining({
          code: IDEMPOTENCY_KEY_ALREADY_FAILED,
          originalCode: TransferErrorCode.EXCEEDS_LOWER_LIMIT,
        }),
      ]);
      expect(otherRequest.id).not.toBe(paid.id);
      expect(await totals(alice.account)).toMatchObject({ balance: 70n });
    });

    it("keeps the system's keys apart: a member who takes the key of an exchange's hold first does not stop the exchange", async () => {
      const {
        community,
        holders: [receiver, provider],
      } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const exchanges = t.app.get(ExchangesService);
      const actorOf = (holder: FixtureMember) => t.identity.authenticate({ authorization: `Bearer ${holder.token}` });
      const proposed = (
        await exchanges.propose(await actorOf(receiver), {
          communityId: community.id,
          counterpartyId: provider.memberId,
          role: ExchangeRole.RECEIVER,
          estimatedAmount: 60n,
          description: 'help',
        })
      ).exchange!;
      // The key the exchange will hold under (exchanges.service.ts, ledgerKey), taken first by the receiver: clients cannot send
      // it (no spaces in client keys), so this is what any client key would have to collide with.
      made(
        await transfer(
          receiver.account.id,
          provider.account.id,
          5n,
          { idempotencyKey: `system exchange-hold ${proposed.id}` },
          member(receiver.memberId),
        ),
      );

      const accepted = await exchanges.accept(await actorOf(provider), { exchangeId: proposed.id });

      expect(accepted.userErrors).toEqual([]);
      expect(accepted.exchange).toMatchObject({ status: ExchangeStatus.ACCEPTED, holdTransferId: expect.any(String) });
      expect(await totals(receiver.account)).toMatchObject({ balance: 95n, pendingDebits: 60n });
    });
  });
});
