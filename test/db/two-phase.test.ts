import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { forceAccountStatus } from '../support/account-status.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { errorCodes, made, rowsForKeys } from '../support/ledger-rows.js';
import { startTestApp, useTestApp } from '../support/test-app.js';
import {
  CreateTransferInput,
  PostPendingTransferInput,
  VoidPendingTransferInput,
} from '../../src/ledger/dto/ledger.inputs.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { Account, CreateTransferPayload, Transfer } from '../../src/ledger/models/ledger.models.js';
import { AccountStatus, BatchMode, TransferKind } from '../../src/ledger/models/ledger-enums.js';
import { PendingExpirySweeper } from '../../src/ledger/pending-expiry.sweeper.js';

const {
  AMOUNT_MUST_BE_POSITIVE,
  CREDIT_ACCOUNT_CLOSED,
  DEBIT_ACCOUNT_FROZEN,
  EXCEEDS_LOWER_LIMIT,
  EXCEEDS_PENDING_AMOUNT,
  EXCEEDS_UPPER_LIMIT,
  IDEMPOTENCY_KEY_ALREADY_FAILED,
  IDEMPOTENCY_KEY_CONFLICT,
  PENDING_TRANSFER_ALREADY_POSTED,
  PENDING_TRANSFER_ALREADY_VOIDED,
  PENDING_TRANSFER_EXPIRED,
  PENDING_TRANSFER_NOT_FOUND,
  TIMEOUT_REQUIRES_PENDING,
} = TransferErrorCode;

type Resolve = (pendingTransferId: string, extra?: Partial<PostPendingTransferInput>) => Promise<CreateTransferPayload>;
type Action = 'post' | 'void';

/** docs/testing.md's two-phase scenarios: holds, posting, voiding, expiry, and their races, on real PostgreSQL. */
describe('two-phase (pending) transfers', () => {
  const t = useTestApp(24);

  const newKey = (): string => `2pc-${randomUUID()}`;
  const transfer = (
    debitAccountId: string,
    creditAccountId: string,
    amount: bigint,
    extra: Partial<CreateTransferInput> = {},
  ) =>
    t.ledger.createTransfer({
      idempotencyKey: newKey(),
      debitAccountId,
      creditAccountId,
      amount,
      code: 'payment',
      memo: '',
      ...extra,
    });
  const hold = (
    debitAccountId: string,
    creditAccountId: string,
    amount: bigint,
    extra: Partial<CreateTransferInput> = {},
  ) => transfer(debitAccountId, creditAccountId, amount, { pending: true, ...extra });
  const post: Resolve = (pendingTransferId, extra = {}) =>
    t.ledger.postPendingTransfer({ idempotencyKey: newKey(), pendingTransferId, memo: '', ...extra });
  const voidPending: Resolve = (pendingTransferId, extra: Partial<VoidPendingTransferInput> = {}) =>
    t.ledger.voidPendingTransfer({ idempotencyKey: newKey(), pendingTransferId, memo: '', ...extra });
  const resolve = (action: Action, pendingTransferId: string, extra: Partial<PostPendingTransferInput> = {}) =>
    (action === 'post' ? post : voidPending)(pendingTransferId, extra);

  const codes = errorCodes;
  /** An account's money as a client sees it. */
  const position = async (account: Account) => {
    const { balance, availableBalance, pendingDebits, pendingCredits, version } = (await t.ledger.findAccount(
      account.id,
    ))!;
    return { balance, availableBalance, pendingDebits, pendingCredits, version };
  };
  const resolutionsOf = async (
    pendingTransferId: string,
  ): Promise<{ kind: string; code: string; amount: string; idempotency_key: string }[]> =>
    t.dataSource.query(
      'SELECT kind, code, amount::text AS amount, idempotency_key FROM transfers WHERE pending_id = $1 ORDER BY id',
      [pendingTransferId],
    );
  const rowsForKey = (key: string) => rowsForKeys(t.dataSource, [key]);

  /** A payer holding `balance`, a payee with nothing, and an open hold of `amount` from one to the other. */
  const openHold = async (amount = 60n, balance = 100n, extra: Partial<CreateTransferInput> = {}) => {
    const fixture = await createLedgerFixture(t, [{ balance }, {}]);
    const [payer, payee] = fixture.members;
    const pending = made(await hold(payer.id, payee.id, amount, extra));
    return { ...fixture, payer, payee, pending };
  };

  /** openHold with a third member, funded with 100, to pay to and from. */
  const openHoldWithThird = async (extra: Partial<CreateTransferInput> = {}) => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, { balance: 100n }]);
    const [payer, payee] = fixture.members;
    const pending = made(await hold(payer.id, payee.id, 60n, extra));
    return { ...fixture, payer, payee, pending };
  };

  describe('holding funds', () => {
    it('reserves at once: pending debits and credits rise, the available balance drops, the balance does not', async () => {
      const { payer, payee, pending } = await openHold(60n);

      expect(pending).toMatchObject({
        kind: TransferKind.PENDING,
        debitAccountId: payer.id,
        creditAccountId: payee.id,
        amount: 60n,
        code: 'payment',
        pendingTransferId: null,
        timeoutAt: null,
        reversesTransferId: null,
        reason: null,
        forced: false,
      });
      expect(await t.ledger.postingsOfTransfer(pending.id)).toEqual([]);
      expect(await t.ledger.resolutionOf(pending.id)).toBeNull();
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 40n,
        pendingDebits: 60n,
        pendingCredits: 0n,
        version: 1n,
      });
      expect(await position(payee)).toEqual({
        balance: 0n,
        availableBalance: 0n,
        pendingDebits: 0n,
        pendingCredits: 60n,
        version: 0n,
      });
    });

    it.each([
      ['hold', true],
      ['direct transfer', false],
    ])('refuses a %s beyond the available balance, and allows one of exactly the rest', async (_name, pending) => {
      const { payer, payee } = await openHold(60n);

      const idempotencyKey = newKey();
      expect(codes(await transfer(payer.id, payee.id, 41n, { idempotencyKey, pending }))).toEqual([
        EXCEEDS_LOWER_LIMIT,
      ]);
      expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 1 });

      made(await transfer(payer.id, payee.id, 40n, { pending }));
      expect(await position(payer)).toMatchObject({
        availableBalance: 0n,
        balance: pending ? 100n : 60n,
        pendingDebits: pending ? 100n : 60n,
      });
    });

    it("counts a hold against the payee's upper limit", async () => {
      const {
        issuance,
        members: [payer, payee],
      } = await createLedgerFixture(t, [{ balance: 100n }, { upperLimit: 50n }]);
      made(await hold(payer.id, payee.id, 40n));

      expect(codes(await transfer(issuance.id, payee.id, 11n))).toEqual([EXCEEDS_UPPER_LIMIT]);
      expect(codes(await hold(payer.id, payee.id, 11n))).toEqual([EXCEEDS_UPPER_LIMIT]);
      made(await transfer(issuance.id, payee.id, 10n));
      expect(await position(payee)).toEqual({
        balance: 10n,
        availableBalance: 10n,
        pendingDebits: 0n,
        pendingCredits: 40n,
        version: 1n,
      });
    });

    it('sets the timeout from timeoutSeconds', async () => {
      const { pending } = await openHold(10n, 100n, { timeoutSeconds: 3600 });

      const lead = pending.timeoutAt!.getTime() - pending.createdAt.getTime();
      expect(lead).toBeGreaterThan(3_590_000);
      expect(lead).toBeLessThanOrEqual(3_600_000);
    });

    it.each([
      ['pending: false', { pending: false }],
      ['pending omitted', {}],
    ])(
      'refuses a timeout on a direct transfer (%s) with TIMEOUT_REQUIRES_PENDING, recording nothing',
      async (_name, extra) => {
        const {
          members: [payer, payee],
        } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
        const idempotencyKey = newKey();

        const refused = await transfer(payer.id, payee.id, 10n, { idempotencyKey, timeoutSeconds: 30, ...extra });

        expect(refused).toEqual({
          transfer: null,
          replayed: false,
          userErrors: [expect.objectContaining({ code: TIMEOUT_REQUIRES_PENDING, field: ['input', 'timeoutSeconds'] })],
        });
        expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 0 });
        expect(await position(payer)).toEqual({
          balance: 100n,
          availableBalance: 100n,
          pendingDebits: 0n,
          pendingCredits: 0n,
          version: 1n,
        });
      },
    );

    it('lets exactly floor(X/a) of K concurrent holds through (double spend with holds)', async () => {
      const {
        members: [payer, payee],
      } = await createLedgerFixture(t, [{ balance: 100n }, {}]);

      const results = await Promise.all(Array.from({ length: 20 }, () => hold(payer.id, payee.id, 30n)));

      expect(results.filter((result) => result.transfer)).toHaveLength(3);
      expect(results.filter((result) => codes(result)[0] === EXCEEDS_LOWER_LIMIT)).toHaveLength(17);
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 10n,
        pendingDebits: 90n,
        pendingCredits: 0n,
        version: 1n,
      });
      expect(await position(payee)).toEqual({
        balance: 0n,
        availableBalance: 0n,
        pendingDebits: 0n,
        pendingCredits: 90n,
        version: 0n,
      });
    });
  });

  describe('posting and voiding', () => {
    it.each([
      ['posts in full', 'post', {}, TransferKind.POST_PENDING, 60n],
      ['posts exactly the amount held', 'post', { amount: 60n }, TransferKind.POST_PENDING, 60n],
      ['posts in part and releases the rest', 'post', { amount: 25n }, TransferKind.POST_PENDING, 25n],
      ['voids and releases everything', 'void', {}, TransferKind.VOID_PENDING, 0n],
    ] as [string, Action, Partial<PostPendingTransferInput>, TransferKind, bigint][])(
      '%s with a new transfer naming the pending one',
      async (_name, action, extra, kind, moved) => {
        const { payer, payee, pending } = await openHold(60n);

        const resolution = made(
          await resolve(action, pending.id, { memo: 'settled', metadata: { ticket: 7 }, ...extra }),
        );

        expect(resolution).toMatchObject({
          kind,
          code: action,
          pendingTransferId: pending.id,
          debitAccountId: payer.id,
          creditAccountId: payee.id,
          amount: kind === TransferKind.VOID_PENDING ? 60n : moved,
          memo: 'settled',
          metadata: { ticket: 7 },
          timeoutAt: null,
          forced: false,
        });
        expect(resolution.id).not.toBe(pending.id);
        expect(await t.ledger.resolutionOf(pending.id)).toEqual(resolution);
        expect(
          (await t.ledger.postingsOfTransfer(resolution.id)).map((posting) => [posting.accountId, posting.amount]),
        ).toEqual(
          moved
            ? [
                [payer.id, -moved],
                [payee.id, moved],
              ]
            : [],
        );
        const versionStep = moved ? 1n : 0n;
        expect(await position(payer)).toEqual({
          balance: 100n - moved,
          availableBalance: 100n - moved,
          pendingDebits: 0n,
          pendingCredits: 0n,
          version: 1n + versionStep,
        });
        expect(await position(payee)).toEqual({
          balance: moved,
          availableBalance: moved,
          pendingDebits: 0n,
          pendingCredits: 0n,
          version: versionStep,
        });
      },
    );

    it.each([
      ['posting more than was held', 'open', 'post', { amount: 61n }, EXCEEDS_PENDING_AMOUNT],
      ['posting zero', 'open', 'post', { amount: 0n }, AMOUNT_MUST_BE_POSITIVE],
      ['posting a negative amount', 'open', 'post', { amount: -5n }, AMOUNT_MUST_BE_POSITIVE],
      ['posting a posted transfer', 'post', 'post', {}, PENDING_TRANSFER_ALREADY_POSTED],
      ['voiding a posted transfer', 'post', 'void', {}, PENDING_TRANSFER_ALREADY_POSTED],
      ['posting a voided transfer', 'void', 'post', {}, PENDING_TRANSFER_ALREADY_VOIDED],
      ['voiding a voided transfer', 'void', 'void', {}, PENDING_TRANSFER_ALREADY_VOIDED],
    ] as [string, 'open' | Action, Action, Partial<PostPendingTransferInput>, TransferErrorCode][])(
      'refuses %s with %p and changes nothing',
      async (_name, earlier, action, extra, code) => {
        const { payer, payee, pending } = await openHold(60n);
        if (earlier !== 'open') made(await resolve(earlier, pending.id));
        const before = {
          payer: await position(payer),
          payee: await position(payee),
          resolutions: await resolutionsOf(pending.id),
        };

        expect(codes(await resolve(action, pending.id, extra))).toEqual([code]);

        expect({
          payer: await position(payer),
          payee: await position(payee),
          resolutions: await resolutionsOf(pending.id),
        }).toEqual(before);
        expect(before.resolutions).toHaveLength(earlier === 'open' ? 0 : 1);
        if (earlier === 'open') made(await post(pending.id)); // the hold is intact
      },
    );

    it.each([
      ['the payer was frozen', 'payer', AccountStatus.FROZEN, DEBIT_ACCOUNT_FROZEN],
      ['the payee was closed', 'payee', AccountStatus.CLOSED, CREDIT_ACCOUNT_CLOSED],
    ] as const)('refuses to post a hold once %s, yet lets it be voided', async (_name, side, status, code) => {
      const hold = await openHold(60n);
      const { payer, pending } = hold;
      // A closed account with a hold on it cannot be reached through the service: set by SQL, for this test only.
      await forceAccountStatus(t.dataSource, hold[side].id, status);

      const refusal = await post(pending.id);
      expect(codes(refusal)).toEqual([code]);
      // A post names no accounts: the refusal points at the pending transfer.
      expect(refusal.userErrors[0].field).toEqual(['input', 'pendingTransferId']);
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 40n,
        pendingDebits: 60n,
        pendingCredits: 0n,
        version: 1n,
      });

      made(await voidPending(pending.id));
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 100n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 1n,
      });
    });

    it('answers PENDING_TRANSFER_NOT_FOUND for an unknown id and for transfers that are not pending', async () => {
      const { payer, payee, pending } = await openHold(60n);
      const direct = made(await transfer(payer.id, payee.id, 5n));
      const resolution = made(await post(pending.id, { amount: 10n }));

      for (const id of ['999999999999', direct.id, resolution.id]) {
        for (const action of ['post', 'void'] as const) {
          const idempotencyKey = newKey();
          expect(codes(await resolve(action, id, { idempotencyKey }))).toEqual([PENDING_TRANSFER_NOT_FOUND]);
          expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 0 });
        }
      }
      expect(await position(payee)).toMatchObject({ balance: 15n, pendingCredits: 0n });
    });
  });

  describe('races', () => {
    it('lets exactly one of many concurrent posts and voids resolve each pending transfer', async () => {
      const holds = 6;
      const {
        members: [payer, payee],
      } = await createLedgerFixture(t, [{ balance: 600n }, {}]);
      const pendings = await Promise.all(
        Array.from({ length: holds }, async () => made(await hold(payer.id, payee.id, 100n))),
      );

      const races = await Promise.all(
        pendings.map(async (pending) => {
          const attempts = Array.from({ length: 16 }, (_, i): { action: Action; idempotencyKey: string } => ({
            action: i % 2 ? 'void' : 'post',
            idempotencyKey: newKey(),
          }));
          const results = await Promise.all(
            attempts.map(({ action, idempotencyKey }) => resolve(action, pending.id, { idempotencyKey })),
          );
          return { pending, attempts, results };
        }),
      );

      let posted = 0n;
      for (const { pending, attempts, results } of races) {
        const winners = results.filter((result) => result.transfer);
        expect(winners).toHaveLength(1);
        const winner = winners[0].transfer!;
        const loserCode =
          winner.kind === TransferKind.POST_PENDING ? PENDING_TRANSFER_ALREADY_POSTED : PENDING_TRANSFER_ALREADY_VOIDED;
        expect(results.filter((result) => !result.transfer).map(codes)).toEqual(Array(15).fill([loserCode]));
        expect(await resolutionsOf(pending.id)).toEqual([
          expect.objectContaining({ kind: winner.kind, idempotency_key: winner.idempotencyKey }),
        ]);
        if (winner.kind === TransferKind.POST_PENDING) posted += 100n;

        const loser = attempts[results.findIndex((result) => !result.transfer)];
        expect(await rowsForKey(loser.idempotencyKey)).toEqual({ transfers: 0, failures: 1 });
        expect(codes(await resolve(loser.action, pending.id, { idempotencyKey: loser.idempotencyKey }))).toEqual([
          IDEMPOTENCY_KEY_ALREADY_FAILED,
        ]);
      }
      expect(await position(payer)).toEqual({
        balance: 600n - posted,
        availableBalance: 600n - posted,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 1n + posted / 100n,
      });
      expect(await position(payee)).toEqual({
        balance: posted,
        availableBalance: posted,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: posted / 100n,
      });
    });

    it('pays once when one pending transfer is posted 20 times at once with different keys', async () => {
      const { payer, payee, pending } = await openHold(60n);

      const results = await Promise.all(Array.from({ length: 20 }, () => post(pending.id)));

      expect(results.filter((result) => result.transfer)).toHaveLength(1);
      expect(results.filter((result) => codes(result)[0] === PENDING_TRANSFER_ALREADY_POSTED)).toHaveLength(19);
      expect(await resolutionsOf(pending.id)).toHaveLength(1);
      expect(await position(payer)).toEqual({
        balance: 40n,
        availableBalance: 40n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 2n,
      });
      expect(await position(payee)).toEqual({
        balance: 60n,
        availableBalance: 60n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 1n,
      });
    });
  });

  describe('expiry', () => {
    /** The sweeper's timer is off (as in every test app): the tests below see what the timeout rule does on its own. */
    const sweeper = () => t.app.get(PendingExpirySweeper);

    /** Waits until the pending transfer's timeout has passed by the database's clock. */
    const untilDue = async (pending: Transfer): Promise<void> => {
      const due = async (): Promise<boolean> =>
        (
          await t.dataSource.query('SELECT timeout_at < clock_timestamp() AS due FROM transfers WHERE id = $1', [
            pending.id,
          ])
        )[0].due;
      while (!(await due())) await sleep(10);
    };

    it('rejects a post or a void after the timeout, and the sweeper voids it with code "expired", releasing the funds', async () => {
      const { payer, payee, pending } = await openHold(60n, 100n, { timeoutSeconds: 1 });
      await untilDue(pending);

      expect(codes(await post(pending.id))).toEqual([PENDING_TRANSFER_EXPIRED]);
      expect(codes(await voidPending(pending.id))).toEqual([PENDING_TRANSFER_EXPIRED]);
      await sweeper().sweep();

      expect(await resolutionsOf(pending.id)).toEqual([
        {
          kind: TransferKind.VOID_PENDING,
          code: 'expired',
          amount: '60',
          idempotency_key: `system expire ${pending.id}`,
        },
      ]);
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 100n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 1n,
      });
      expect(await position(payee)).toEqual({
        balance: 0n,
        availableBalance: 0n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        version: 0n,
      });
      expect(codes(await post(pending.id))).toEqual([PENDING_TRANSFER_EXPIRED]);
      expect(codes(await voidPending(pending.id))).toEqual([PENDING_TRANSFER_EXPIRED]);
    });

    describe('expired means released at once, before any sweep', () => {
      it("no longer counts a due hold in the payer's available balance, and lets a payment of the whole balance through", async () => {
        const {
          payer,
          payee,
          members: [, , third],
          pending,
        } = await openHoldWithThird({ timeoutSeconds: 1 });
        await untilDue(pending);

        expect(await position(payer)).toEqual({
          balance: 100n,
          availableBalance: 100n,
          pendingDebits: 0n,
          pendingCredits: 0n,
          version: 1n,
        });
        expect(await position(payee)).toMatchObject({ pendingCredits: 0n });
        made(await transfer(payer.id, third.id, 100n));

        expect(await resolutionsOf(pending.id)).toEqual([
          {
            kind: TransferKind.VOID_PENDING,
            code: 'expired',
            amount: '60',
            idempotency_key: `system expire ${pending.id}`,
          },
        ]);
        expect(await position(payer)).toEqual({
          balance: 0n,
          availableBalance: 0n,
          pendingDebits: 0n,
          pendingCredits: 0n,
          version: 2n,
        });
        await t.ledger.expireDuePendingTransfers(100);
        expect(await resolutionsOf(pending.id)).toHaveLength(1);
      });

      it("no longer counts a due hold against the payee's upper limit", async () => {
        const {
          members: [payer, payee, other],
        } = await createLedgerFixture(t, [{ balance: 100n }, { upperLimit: 100n }, { balance: 100n }]);
        const pending = made(await hold(payer.id, payee.id, 60n, { timeoutSeconds: 1 }));
        expect(codes(await transfer(other.id, payee.id, 100n))).toEqual([EXCEEDS_UPPER_LIMIT]);
        await untilDue(pending);

        made(await transfer(other.id, payee.id, 100n));

        expect(await resolutionsOf(pending.id)).toEqual([
          expect.objectContaining({ kind: TransferKind.VOID_PENDING, code: 'expired' }),
        ]);
        expect(await position(payee)).toMatchObject({ balance: 100n, pendingCredits: 0n });
      });

      it('releases due holds for a linked batch too', async () => {
        const {
          payer,
          members: [, , third],
          pending,
        } = await openHoldWithThird({ timeoutSeconds: 1 });
        await untilDue(pending);

        const { results } = await t.ledger.createTransfers({
          mode: BatchMode.LINKED,
          transfers: [
            {
              idempotencyKey: newKey(),
              debitAccountId: payer.id,
              creditAccountId: third.id,
              amount: 100n,
              code: 'payment',
              memo: '',
            },
          ],
        });

        expect(results.map(codes)).toEqual([[]]);
        expect(await resolutionsOf(pending.id)).toEqual([
          expect.objectContaining({ kind: TransferKind.VOID_PENDING, code: 'expired' }),
        ]);
      });

      it("releases a due hold before checking a reversal against the payee's available balance", async () => {
        const {
          members: [payer, payee, third],
        } = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
        const payment = made(await transfer(payer.id, third.id, 100n));
        const pending = made(await hold(third.id, payee.id, 100n, { timeoutSeconds: 1 }));
        const reverse = () =>
          t.ledger.reverseTransfer({ idempotencyKey: newKey(), transferId: payment.id, force: false, memo: '' });
        expect(codes(await reverse())).toEqual([EXCEEDS_LOWER_LIMIT]);
        await untilDue(pending);

        made(await reverse());

        expect(await resolutionsOf(pending.id)).toEqual([
          expect.objectContaining({ kind: TransferKind.VOID_PENDING, code: 'expired' }),
        ]);
        expect(await position(payer)).toMatchObject({ balance: 100n, availableBalance: 100n });
      });
    });

    it('posts a pending transfer before its timeout, and the sweeper then leaves it alone', async () => {
      const { payer, pending } = await openHold(60n, 100n, { timeoutSeconds: 1 });
      const posting = made(await post(pending.id));
      await untilDue(pending);

      await t.ledger.expireDuePendingTransfers(100);

      expect(await resolutionsOf(pending.id)).toEqual([
        expect.objectContaining({ kind: TransferKind.POST_PENDING, idempotency_key: posting.idempotencyKey }),
      ]);
      expect(await rowsForKey(`system expire ${pending.id}`)).toEqual({ transfers: 0, failures: 0 });
      expect(await position(payer)).toMatchObject({ balance: 40n, pendingDebits: 0n });
    });

    it('expires only the holds whose timeout has passed', async () => {
      const {
        members: [payer, payee],
      } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const due = await Promise.all(
        [10n, 20n, 30n].map(async (amount) => made(await hold(payer.id, payee.id, amount, { timeoutSeconds: 1 }))),
      );
      const later = made(await hold(payer.id, payee.id, 5n, { timeoutSeconds: 3600 }));
      const forever = made(await hold(payer.id, payee.id, 7n));
      await Promise.all(due.map(untilDue));

      await sweeper().sweep();

      for (const pending of due) {
        expect(await resolutionsOf(pending.id)).toEqual([
          {
            kind: TransferKind.VOID_PENDING,
            code: 'expired',
            amount: pending.amount.toString(),
            idempotency_key: `system expire ${pending.id}`,
          },
        ]);
      }
      expect(await resolutionsOf(later.id)).toEqual([]);
      expect(await resolutionsOf(forever.id)).toEqual([]);
      expect(await position(payer)).toEqual({
        balance: 100n,
        availableBalance: 88n,
        pendingDebits: 12n,
        pendingCredits: 0n,
        version: 1n,
      });
      expect(await position(payee)).toEqual({
        balance: 0n,
        availableBalance: 0n,
        pendingDebits: 0n,
        pendingCredits: 12n,
        version: 0n,
      });
    });

    it('expires each hold exactly once when sweeps run concurrently, in one app and in two', async () => {
      const holds = 40;
      const { currency, members } = await createLedgerFixture(t, [{ balance: 1000n }, { balance: 1000n }, {}]);
      const second = await startTestApp(4);
      // Neither app's timer runs: the sweeps racing below are the ones doing the work.
      const sweepers = [t, second].map((app) => app.app.get(PendingExpirySweeper));
      try {
        const pendings = await Promise.all(
          Array.from({ length: holds }, (_, i) =>
            hold(members[i % 2].id, members[2].id, BigInt(i + 1), { timeoutSeconds: 1 }).then(made),
          ),
        );
        await Promise.all(pendings.map(untilDue));

        await Promise.all([
          t.ledger.expireDuePendingTransfers(100),
          t.ledger.expireDuePendingTransfers(100),
          second.ledger.expireDuePendingTransfers(100),
          ...sweepers.map((each) => each.sweep()),
          t.ledger.expireDuePendingTransfers(7),
        ]);
        // A sweep never waits for an account: what the racing ones found taken is the next tick's.
        await t.ledger.expireDuePendingTransfers(100);

        const [summary] = await t.dataSource.query(
          `SELECT count(*)::int AS pending,
                  count(r.id)::int AS resolutions,
                  count(DISTINCT r.pending_id)::int AS resolved,
                  count(*) FILTER (WHERE r.kind = 'void_pending' AND r.code = 'expired' AND r.amount = p.amount
                                     AND r.idempotency_key = 'system expire ' || p.id)::int AS expired,
                  (SELECT count(*)::int FROM transfer_failures f JOIN transfers q ON f.idempotency_key = 'system expire ' || q.id
                    WHERE q.currency_id = $1) AS failures
             FROM transfers p LEFT JOIN transfers r ON r.pending_id = p.id
            WHERE p.currency_id = $1 AND p.kind = 'pending'`,
          [currency.id],
        );
        expect(summary).toEqual({ pending: holds, resolutions: holds, resolved: holds, expired: holds, failures: 0 });
        expect(await Promise.all(members.map(position))).toEqual([
          { balance: 1000n, availableBalance: 1000n, pendingDebits: 0n, pendingCredits: 0n, version: 1n },
          { balance: 1000n, availableBalance: 1000n, pendingDebits: 0n, pendingCredits: 0n, version: 1n },
          { balance: 0n, availableBalance: 0n, pendingDebits: 0n, pendingCredits: 0n, version: 0n },
        ]);
      } finally {
        await second.close();
      }
    });
  });

  describe('idempotency of post and void', () => {
    it('replays the same key and request: one resolution, money moved once, even when sent 10 times at once', async () => {
      const { payer, payee, pending } = await openHold(60n);
      const idempotencyKey = newKey();

      const results = await Promise.all(
        Array.from({ length: 10 }, () => post(pending.id, { idempotencyKey, amount: 25n })),
      );
      const replay = await post(pending.id, { idempotencyKey, amount: 25n });

      const original = results.find((result) => !result.replayed)!;
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      for (const result of [...results, replay]) expect(result).toEqual({ ...original, replayed: result !== original });
      expect(original.transfer).toMatchObject({
        kind: TransferKind.POST_PENDING,
        amount: 25n,
        pendingTransferId: pending.id,
      });
      expect(await resolutionsOf(pending.id)).toHaveLength(1);
      expect(await position(payer)).toMatchObject({ balance: 75n, pendingDebits: 0n, version: 2n });
      expect(await position(payee)).toMatchObject({ balance: 25n, pendingCredits: 0n, version: 1n });
    });

    it('replays a void under its key', async () => {
      const { payer, pending } = await openHold(60n);
      const first = await voidPending(pending.id);
      const replay = await voidPending(pending.id, { idempotencyKey: first.transfer!.idempotencyKey });

      expect(replay).toEqual({ ...first, replayed: true });
      expect(await position(payer)).toMatchObject({ balance: 100n, pendingDebits: 0n });
    });

    it.each([
      ['a different amount', 'post', { amount: 26n }],
      ['no amount (in full)', 'post', {}],
      ['a different memo', 'post', { amount: 25n, memo: 'other' }],
      ['a void instead of a post', 'void', {}],
    ] as [string, Action, Partial<PostPendingTransferInput>][])(
      'answers IDEMPOTENCY_KEY_CONFLICT for the key of a post of 25 reused with %s',
      async (_name, action, extra) => {
        const { payer, payee, pending } = await openHold(60n);
        const idempotencyKey = newKey();
        made(await post(pending.id, { idempotencyKey, amount: 25n }));

        expect(codes(await resolve(action, pending.id, { idempotencyKey, ...extra }))).toEqual([
          IDEMPOTENCY_KEY_CONFLICT,
        ]);

        expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 1, failures: 0 });
        expect(await position(payer)).toMatchObject({ balance: 75n, pendingDebits: 0n });
        expect(await position(payee)).toMatchObject({ balance: 25n, pendingCredits: 0n });
      },
    );

    it('keeps a failed key failed, even once the request could succeed', async () => {
      const { payer, pending } = await openHold(60n);
      const idempotencyKey = newKey();

      expect(codes(await post(pending.id, { idempotencyKey, amount: 61n }))).toEqual([EXCEEDS_PENDING_AMOUNT]);
      expect(await rowsForKey(idempotencyKey)).toEqual({ transfers: 0, failures: 1 });
      expect(codes(await post(pending.id, { idempotencyKey, amount: 61n }))).toEqual([IDEMPOTENCY_KEY_ALREADY_FAILED]);
      expect(codes(await post(pending.id, { idempotencyKey, amount: 60n }))).toEqual([IDEMPOTENCY_KEY_CONFLICT]);

      expect(await resolutionsOf(pending.id)).toEqual([]);
      expect(await position(payer)).toMatchObject({ balance: 100n, availableBalance: 40n, pendingDebits: 60n });
      made(await post(pending.id, { amount: 60n }));
    });
  });

  describe('point-in-time balances', () => {
    it('are not changed by a hold or its void, and change by the posted part only when posted', async () => {
      const { payer, payee, pending } = await openHold(60n);
      const voided = made(await hold(payer.id, payee.id, 10n));
      const instant = async (): Promise<Date> => {
        await sleep(20);
        const at = new Date();
        await sleep(20);
        return at;
      };

      const afterHolds = await instant();
      made(await voidPending(voided.id));
      const afterVoid = await instant();
      made(await post(pending.id, { amount: 25n }));
      const afterPost = await instant();

      const balancesAt = (account: Account) =>
        Promise.all([afterHolds, afterVoid, afterPost].map((at) => t.ledger.balanceAt(account.id, at)));
      expect(await balancesAt(payer)).toEqual([100n, 100n, 75n]);
      expect(await balancesAt(payee)).toEqual([0n, 0n, 25n]);
    });
  });
});
