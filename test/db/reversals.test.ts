import { randomUUID } from 'node:crypto';
import { withAccountStatus } from '../support/account-status.js';
import { createLedgerFixture, MemberSpec } from '../support/ledger-fixture.js';
import { errorCodes, made, rowsForKeys } from '../support/ledger-rows.js';
import { useTestApp } from '../support/test-app.js';
import { CreateTransferInput, ReverseTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { AccountStatus, TransferKind } from '../../src/ledger/models/ledger-enums.js';

const {
  DEBIT_ACCOUNT_FROZEN,
  EXCEEDS_LOWER_LIMIT,
  EXCEEDS_UPPER_LIMIT,
  IDEMPOTENCY_KEY_ALREADY_FAILED,
  IDEMPOTENCY_KEY_CONFLICT,
  REASON_REQUIRED,
  TRANSFER_ALREADY_REVERSED,
  TRANSFER_NOT_FOUND,
  TRANSFER_NOT_REVERSIBLE,
} = TransferErrorCode;

/** Reversals: the opposite transfer, at most once per original, within limits unless forced with a reason. */
describe('reversals', () => {
  const t = useTestApp(24);

  const newKey = (): string => `rev-${randomUUID()}`;
  const pay = (from: Account, to: Account, amount: bigint, extra: Partial<CreateTransferInput> = {}) =>
    t.ledger.createTransfer({
      idempotencyKey: newKey(),
      debitAccountId: from.id,
      creditAccountId: to.id,
      amount,
      code: 'payment',
      memo: '',
      ...extra,
    });
  const reverse = (transferId: string, extra: Partial<ReverseTransferInput> = {}) =>
    t.ledger.reverseTransfer({ idempotencyKey: newKey(), transferId, memo: '', force: false, ...extra });
  const codes = errorCodes;
  const account = async ({ id }: Account) => {
    const { balance, availableBalance, pendingDebits, lowerLimit, upperLimit, version } =
      (await t.ledger.findAccount(id))!;
    return { balance, availableBalance, pendingDebits, lowerLimit, upperLimit, version };
  };
  const reversalsOf = async (transferId: string): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM transfers WHERE reverses_id = $1', [transferId]))[0].n;
  const rowsForKey = (key: string) => rowsForKeys(t.dataSource, [key]);

  /** A payer who started with 100 has paid `amount` to the payee. */
  const paid = async (amount = 30n, payer: MemberSpec = {}, payee: MemberSpec = {}) => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n, ...payer }, payee, {}]);
    const [from, to, third] = fixture.members;
    const original = made(await pay(from, to, amount));
    return { ...fixture, payer: from, payee: to, third, original };
  };

  it('writes the opposite transfer, linked to the original, and moves the money back', async () => {
    const { payer, payee, original } = await paid(30n);

    const reversal = made(
      await reverse(original.id, { reason: '  entered twice  ', memo: 'undo', metadata: { ticket: 'T-1' } }),
    );

    expect(reversal).toMatchObject({
      kind: TransferKind.DIRECT,
      debitAccountId: payee.id,
      creditAccountId: payer.id,
      amount: 30n,
      code: 'reversal',
      memo: 'undo',
      metadata: { ticket: 'T-1' },
      reversesTransferId: original.id,
      reason: 'entered twice',
      forced: false,
      pendingTransferId: null,
    });
    expect(await t.ledger.reversalOf(original.id)).toEqual(reversal);
    expect(await t.ledger.reversalOf(reversal.id)).toBeNull();
    expect(
      (await t.ledger.postingsOfTransfer(reversal.id)).map((posting) => [
        posting.accountId,
        posting.amount,
        posting.balanceAfter,
      ]),
    ).toEqual([
      [payee.id, -30n, 0n],
      [payer.id, 30n, 100n],
    ]);
    expect(await account(payer)).toEqual({
      balance: 100n,
      availableBalance: 100n,
      pendingDebits: 0n,
      lowerLimit: 0n,
      upperLimit: null,
      version: 3n,
    });
    expect(await account(payee)).toEqual({
      balance: 0n,
      availableBalance: 0n,
      pendingDebits: 0n,
      lowerLimit: 0n,
      upperLimit: null,
      version: 2n,
    });
  });

  it('stores no reason when none is given', async () => {
    const { original } = await paid();
    expect(made(await reverse(original.id))).toMatchObject({
      reason: null,
      forced: false,
      reversesTransferId: original.id,
    });
  });

  it('reverses a transfer at most once: a second reversal gets TRANSFER_ALREADY_REVERSED', async () => {
    const { payer, payee, original } = await paid(30n);
    made(await reverse(original.id));
    const idempotencyKey = newKey();

    expect(codes(await reverse(original.id, { idempotencyKey }))).toEqual([TRANSFER_ALREADY_REVERSED]);

    expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 1 });
    expect(await reversalsOf(original.id)).toBe(1);
    expect(await account(payer)).toMatchObject({ balance: 100n, version: 3n });
    expect(await account(payee)).toMatchObject({ balance: 0n, version: 2n });
  });

  it('lets exactly one of 20 concurrent reversals of one transfer through', async () => {
    const { payer, payee, original } = await paid(30n, {}, { balance: 500n });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reverse(original.id, { force: i % 2 === 1, reason: 'race' })),
    );

    expect(results.filter((result) => result.transfer)).toHaveLength(1);
    expect(results.filter((result) => codes(result)[0] === TRANSFER_ALREADY_REVERSED)).toHaveLength(19);
    expect(await reversalsOf(original.id)).toBe(1);
    expect(await account(payer)).toMatchObject({ balance: 100n, version: 3n });
    expect(await account(payee)).toMatchObject({ balance: 500n, version: 3n });
  });

  it('answers TRANSFER_NOT_FOUND for an unknown transfer and records nothing', async () => {
    const idempotencyKey = newKey();
    expect(codes(await reverse('999999999999', { idempotencyKey }))).toEqual([TRANSFER_NOT_FOUND]);
    expect(codes(await reverse('999999999999', { idempotencyKey, force: true, reason: 'cleanup' }))).toEqual([
      TRANSFER_NOT_FOUND,
    ]);
    expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 0 });
  });

  it.each([
    ['an open pending transfer', 'open'],
    ['a posted pending transfer (the hold itself)', 'posted'],
    ['a void', 'void'],
  ] as const)('refuses to reverse %s with TRANSFER_NOT_REVERSIBLE', async (_name, which) => {
    const { payer, payee } = await paid(10n);
    const pending = made(await pay(payer, payee, 40n, { pending: true }));
    let target = pending;
    if (which === 'posted')
      made(await t.ledger.postPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: pending.id, memo: '' }));
    if (which === 'void')
      target = made(
        await t.ledger.voidPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: pending.id, memo: '' }),
      );
    const before = [await account(payer), await account(payee)];

    for (const force of [false, true])
      expect(codes(await reverse(target.id, { force, reason: 'try' }))).toEqual([TRANSFER_NOT_REVERSIBLE]);

    expect([await account(payer), await account(payee)]).toEqual(before);
    expect(await reversalsOf(target.id)).toBe(0);
  });

  it('reverses a post of a pending transfer, for the amount posted', async () => {
    const { payer, payee } = await paid(10n);
    const pending = made(await pay(payer, payee, 40n, { pending: true }));
    const posting = made(
      await t.ledger.postPendingTransfer({
        idempotencyKey: newKey(),
        pendingTransferId: pending.id,
        memo: '',
        amount: 25n,
      }),
    );

    const reversal = made(await reverse(posting.id));

    expect(reversal).toMatchObject({
      debitAccountId: payee.id,
      creditAccountId: payer.id,
      amount: 25n,
      reversesTransferId: posting.id,
      code: 'reversal',
    });
    expect(await account(payer)).toMatchObject({ balance: 90n, pendingDebits: 0n, version: 4n });
    expect(await account(payee)).toMatchObject({ balance: 10n, version: 3n });
  });

  describe('limits', () => {
    it('refuses a reversal the payee can no longer afford with EXCEEDS_LOWER_LIMIT, and keeps the key failed', async () => {
      const { issuance, payer, payee, third, original } = await paid(30n);
      made(await pay(payee, third, 20n));
      const idempotencyKey = newKey();

      const refusal = await reverse(original.id, { idempotencyKey });
      expect(codes(refusal)).toEqual([EXCEEDS_LOWER_LIMIT]);
      // A reversal input has no amount: the refusal points at the transfer to reverse.
      expect(refusal.userErrors[0].field).toEqual(['input', 'transferId']);
      expect(await account(payee)).toEqual({
        balance: 10n,
        availableBalance: 10n,
        pendingDebits: 0n,
        lowerLimit: 0n,
        upperLimit: null,
        version: 2n,
      });
      expect(await account(payer)).toMatchObject({ balance: 70n, version: 2n });
      expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 1 });

      made(await pay(issuance, payee, 100n));
      expect(codes(await reverse(original.id, { idempotencyKey }))).toEqual([IDEMPOTENCY_KEY_ALREADY_FAILED]);
      expect(await reversalsOf(original.id)).toBe(0);
      made(await reverse(original.id)); // a new key may try again
      expect(await account(payer)).toMatchObject({ balance: 100n });
    });

    it("counts the payee's holds against the reversal", async () => {
      const { payee, third, original } = await paid(30n);
      made(await pay(payee, third, 25n, { pending: true }));

      expect(codes(await reverse(original.id))).toEqual([EXCEEDS_LOWER_LIMIT]);
      expect(await account(payee)).toMatchObject({ balance: 30n, availableBalance: 5n });
    });

    it("refuses a reversal above the payer's upper limit", async () => {
      const { issuance, payer, original } = await paid(30n, { upperLimit: 100n });
      made(await pay(issuance, payer, 25n));

      expect(codes(await reverse(original.id))).toEqual([EXCEEDS_UPPER_LIMIT]);
      expect(await account(payer)).toMatchObject({ balance: 95n, upperLimit: 100n });
    });

    it.each([
      ['no reason', undefined],
      ['an empty reason', ''],
      ['a blank reason', '   '],
    ])('refuses a forced reversal with %s: REASON_REQUIRED, recording nothing', async (_name, reason) => {
      const { payee, third, original } = await paid(30n);
      made(await pay(payee, third, 20n));
      const idempotencyKey = newKey();

      expect(codes(await reverse(original.id, { idempotencyKey, force: true, reason }))).toEqual([REASON_REQUIRED]);

      expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 0 });
      expect(await account(payee)).toMatchObject({ balance: 10n, lowerLimit: 0n });
    });

    it("forces a reversal past the payee's lower limit, widening it just enough and recording why", async () => {
      const { payer, payee, third, original } = await paid(30n);
      made(await pay(payee, third, 20n));
      made(await pay(payee, third, 5n, { pending: true }));

      const reversal = made(await reverse(original.id, { force: true, reason: 'fraud', metadata: { ticket: 'T-9' } }));

      expect(reversal).toMatchObject({
        forced: true,
        reason: 'fraud',
        reversesTransferId: original.id,
        amount: 30n,
        debitAccountId: payee.id,
        creditAccountId: payer.id,
        metadata: { ticket: 'T-9', limitsWidened: [{ accountId: payee.id, lowerLimitWas: '0', upperLimitWas: null }] },
      });
      // 10 posted, 5 held, 30 reversed: the available balance is -25, which is now the limit.
      expect(await account(payee)).toEqual({
        balance: -20n,
        availableBalance: -25n,
        pendingDebits: 5n,
        lowerLimit: -25n,
        upperLimit: null,
        version: 3n,
      });
      expect(await account(payer)).toMatchObject({ balance: 100n, lowerLimit: 0n });
    });

    it("forces a reversal past the payer's upper limit, widening it just enough", async () => {
      const { issuance, payer, payee, original } = await paid(30n, { upperLimit: 100n });
      made(await pay(issuance, payer, 25n));

      const reversal = made(await reverse(original.id, { force: true, reason: 'chargeback' }));

      expect(reversal.metadata).toEqual({
        limitsWidened: [{ accountId: payer.id, lowerLimitWas: '0', upperLimitWas: '100' }],
      });
      expect(await account(payer)).toMatchObject({ balance: 125n, lowerLimit: 0n, upperLimit: 125n });
      expect(await account(payee)).toMatchObject({ balance: 0n, lowerLimit: 0n });
    });

    it('records a forced reversal within the limits as forced, widening nothing', async () => {
      const { payee, original } = await paid(30n);

      const reversal = made(
        await reverse(original.id, { force: true, reason: 'requested', metadata: { by: 'coordinator' } }),
      );

      expect(reversal).toMatchObject({ forced: true, reason: 'requested', metadata: { by: 'coordinator' } });
      expect(await account(payee)).toMatchObject({ balance: 0n, lowerLimit: 0n });
    });

    it('does not force a reversal out of a frozen account', async () => {
      const { payee, original } = await paid(30n);
      await withAccountStatus(t.dataSource, payee.id, AccountStatus.FROZEN, async () => {
        expect(codes(await reverse(original.id, { force: true, reason: 'fraud' }))).toEqual([DEBIT_ACCOUNT_FROZEN]);
        expect(await reversalsOf(original.id)).toBe(0);
      });
    });
  });

  describe('idempotency', () => {
    it('replays the same key and request, moving the money back once', async () => {
      const { payer, original } = await paid(30n);
      const idempotencyKey = newKey();

      const results = await Promise.all(
        Array.from({ length: 5 }, () => reverse(original.id, { idempotencyKey, reason: 'oops' })),
      );

      const first = results.find((result) => !result.replayed)!;
      expect(results.filter((result) => result.replayed)).toHaveLength(4);
      for (const result of results) expect(result).toEqual({ ...first, replayed: result !== first });
      expect(await account(payer)).toMatchObject({ balance: 100n, version: 3n });
    });

    it.each([
      ['a different reason', { reason: 'other' }],
      ['force', { force: true }],
      ['a different memo', { memo: 'changed' }],
    ])('answers IDEMPOTENCY_KEY_CONFLICT for the same key with %s', async (_name, change) => {
      const { payer, original } = await paid(30n);
      const idempotencyKey = newKey();
      made(await reverse(original.id, { idempotencyKey, reason: 'oops' }));

      expect(codes(await reverse(original.id, { idempotencyKey, reason: 'oops', ...change }))).toEqual([
        IDEMPOTENCY_KEY_CONFLICT,
      ]);
      expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
      expect(await account(payer)).toMatchObject({ balance: 100n, version: 3n });
    });

    it('answers IDEMPOTENCY_KEY_CONFLICT for the key of another transfer', async () => {
      const { original } = await paid(30n);
      expect(codes(await reverse(original.id, { idempotencyKey: original.idempotencyKey }))).toEqual([
        IDEMPOTENCY_KEY_CONFLICT,
      ]);
      expect(await reversalsOf(original.id)).toBe(0);
    });
  });
});
