import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { rowsForKeys } from '../support/ledger-rows.js';
import { useTestApp } from '../support/test-app.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import { Account, CreateTransferPayload } from '../../src/ledger/models/ledger.models.js';
import { BatchMode, TransferKind } from '../../src/ledger/models/ledger-enums.js';

const {
  AMOUNT_MUST_BE_POSITIVE,
  CREDIT_ACCOUNT_NOT_FOUND,
  CURRENCY_MISMATCH,
  DEBIT_ACCOUNT_NOT_FOUND,
  EXCEEDS_LOWER_LIMIT,
  IDEMPOTENCY_KEY_ALREADY_FAILED,
  IDEMPOTENCY_KEY_CONFLICT,
  LINKED_EVENT_FAILED,
  SAME_ACCOUNT,
  TIMEOUT_REQUIRES_PENDING,
} = TransferErrorCode;
const { LINKED, INDEPENDENT } = BatchMode;

const UNKNOWN_ACCOUNT = '999999999999';

/** A batch result in one word: created, replayed, or the refusal's code. */
function outcome(payload: CreateTransferPayload): string {
  if (payload.transfer) {
    expect(payload.userErrors).toEqual([]);
    return payload.replayed ? 'replayed' : 'created';
  }
  expect(payload.userErrors).toHaveLength(1);
  return payload.userErrors[0].code;
}

/** docs/testing.md's linked-batch scenario and idempotency within batches, on real PostgreSQL. */
describe('batches of transfers', () => {
  const t = useTestApp(24);

  const newKey = (): string => `batch-${randomUUID()}`;
  const item = (
    from: Account | string,
    to: Account | string,
    amount: bigint,
    extra: Partial<CreateTransferInput> = {},
  ): CreateTransferInput => ({
    idempotencyKey: newKey(),
    debitAccountId: typeof from === 'string' ? from : from.id,
    creditAccountId: typeof to === 'string' ? to : to.id,
    amount,
    code: 'payment',
    memo: '',
    ...extra,
  });
  const batch = (mode: BatchMode, transfers: CreateTransferInput[]) => t.ledger.createTransfers({ mode, transfers });
  const outcomes = async (mode: BatchMode, transfers: CreateTransferInput[]): Promise<string[]> =>
    (await batch(mode, transfers)).results.map(outcome);

  /** Every account of the currency and its transfers: what a refused linked batch must leave as it was. */
  const ledgerState = async (fixture: LedgerFixture): Promise<unknown> =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM transfers WHERE currency_id = $1) AS transfers,
              (SELECT json_agg(json_build_array(id, posted_debits, posted_credits, pending_debits, pending_credits, version) ORDER BY id)
                 FROM accounts WHERE currency_id = $1) AS accounts`,
        [fixture.currency.id],
      )
    )[0];
  const rowsFor = (keys: string[]) => rowsForKeys(t.dataSource, keys);
  const balances = async (...accounts: Account[]) =>
    Promise.all(
      accounts.map(async (account) => {
        const { balance, pendingDebits, pendingCredits, version } = (await t.ledger.findAccount(account.id))!;
        return { balance, pendingDebits, pendingCredits, version };
      }),
    );
  /** A payer with 100, two members with nothing, and an account of another currency. */
  const threeMembers = async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
    const foreign = (await createLedgerFixture(t, [{ balance: 10n }])).members[0];
    const [a, b, c] = fixture.members;
    return { fixture, a, b, c, foreign };
  };

  describe('linked', () => {
    it('applies every transfer in order, so that a later one may spend what an earlier one brought', async () => {
      const { a, b, c } = await threeMembers();
      const transfers = [
        item(a, b, 60n),
        item(b, c, 50n, { memo: 'onwards', metadata: { leg: 2 } }),
        item(c, a, 20n),
        item(a, c, 10n, { pending: true, timeoutSeconds: 60 }),
      ];

      const { results } = await batch(LINKED, transfers);

      expect(results.map(outcome)).toEqual(['created', 'created', 'created', 'created']);
      results.forEach(({ transfer }, index) =>
        expect(transfer).toMatchObject({
          idempotencyKey: transfers[index].idempotencyKey,
          debitAccountId: transfers[index].debitAccountId,
          creditAccountId: transfers[index].creditAccountId,
          amount: transfers[index].amount,
          memo: transfers[index].memo,
          kind: index === 3 ? TransferKind.PENDING : TransferKind.DIRECT,
        }),
      );
      expect(results[1].transfer!.metadata).toEqual({ leg: 2 });
      expect(results[3].transfer!.timeoutAt).toBeInstanceOf(Date);
      const ids = results.map(({ transfer }) => BigInt(transfer!.id));
      expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
      expect(await balances(a, b, c)).toEqual([
        { balance: 60n, pendingDebits: 10n, pendingCredits: 0n, version: 3n },
        { balance: 10n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
        { balance: 30n, pendingDebits: 0n, pendingCredits: 10n, version: 2n },
      ]);
    });

    type Members = Awaited<ReturnType<typeof threeMembers>>;
    /** The good batch is a→b 60, b→c 30, c→a 10; each case replaces one transfer with a bad one. */
    it.each([
      ['insufficient funds in the middle', 1, EXCEEDS_LOWER_LIMIT, ({ b, c }: Members) => item(b, c, 61n)],
      [
        'a hold beyond the available balance',
        1,
        EXCEEDS_LOWER_LIMIT,
        ({ b, c }: Members) => item(b, c, 61n, { pending: true }),
      ],
      ['an unknown debit account', 2, DEBIT_ACCOUNT_NOT_FOUND, ({ a }: Members) => item(UNKNOWN_ACCOUNT, a, 10n)],
      ['an unknown credit account', 2, CREDIT_ACCOUNT_NOT_FOUND, ({ c }: Members) => item(c, UNKNOWN_ACCOUNT, 10n)],
      ['an account of another currency', 1, CURRENCY_MISMATCH, ({ b, foreign }: Members) => item(b, foreign, 30n)],
      ['a zero amount', 0, AMOUNT_MUST_BE_POSITIVE, ({ a, b }: Members) => item(a, b, 0n)],
      ['a negative amount', 2, AMOUNT_MUST_BE_POSITIVE, ({ c, a }: Members) => item(c, a, -10n)],
      ['the same account on both sides', 2, SAME_ACCOUNT, ({ c }: Members) => item(c, c, 10n)],
      [
        'a timeout on a direct transfer',
        1,
        TIMEOUT_REQUIRES_PENDING,
        ({ b, c }: Members) => item(b, c, 30n, { timeoutSeconds: 60 }),
      ],
    ] as [string, number, TransferErrorCode, (members: Members) => CreateTransferInput][])(
      'applies nothing when one transfer fails (%s at %i): it gets %s, the others LINKED_EVENT_FAILED',
      async (_name, badIndex, code, bad) => {
        const members = await threeMembers();
        const { fixture, a, b, c } = members;
        const transfers = [item(a, b, 60n), item(b, c, 30n), item(c, a, 10n)];
        transfers[badIndex] = bad(members);
        const before = await ledgerState(fixture);

        const { results } = await batch(LINKED, transfers);

        expect(results).toEqual(
          transfers.map((_, index) => ({
            transfer: null,
            replayed: false,
            userErrors: [expect.objectContaining({ code: index === badIndex ? code : LINKED_EVENT_FAILED })],
          })),
        );
        expect(await ledgerState(fixture)).toEqual(before);
        expect(await rowsFor(transfers.map((transfer) => transfer.idempotencyKey))).toEqual({
          transfers: 0,
          failures: 0,
        });
      },
    );

    it.each([
      ['reused for a different request', IDEMPOTENCY_KEY_CONFLICT, 50n],
      ['that already failed', IDEMPOTENCY_KEY_ALREADY_FAILED, 500n],
    ])('applies nothing when one transfer carries a key %s', async (_name, code, earlierAmount) => {
      const { fixture, a, b, c } = await threeMembers();
      const earlier = item(a, c, earlierAmount);
      await t.ledger.createTransfer(earlier);
      const transfers = [item(a, b, 10n), { ...earlier, amount: 500n }, item(b, c, 5n)];
      const before = { state: await ledgerState(fixture), earlier: await rowsFor([earlier.idempotencyKey]) };

      expect(await outcomes(LINKED, transfers)).toEqual([LINKED_EVENT_FAILED, code, LINKED_EVENT_FAILED]);

      expect({ state: await ledgerState(fixture), earlier: await rowsFor([earlier.idempotencyKey]) }).toEqual(before);
      expect(await rowsFor([transfers[0].idempotencyKey, transfers[2].idempotencyKey])).toEqual({
        transfers: 0,
        failures: 0,
      });
    });

    it('records nothing for a refused linked batch, so that its keys can be used again', async () => {
      const { a, b, c } = await threeMembers();
      const transfers = [item(a, b, 60n), item(b, c, 61n), item(c, a, 10n)];
      expect(await outcomes(LINKED, transfers)).toEqual([
        LINKED_EVENT_FAILED,
        EXCEEDS_LOWER_LIMIT,
        LINKED_EVENT_FAILED,
      ]);

      const corrected = [transfers[0], { ...transfers[1], amount: 30n }, transfers[2]];
      expect(await outcomes(LINKED, corrected)).toEqual(['created', 'created', 'created']);
      expect(await rowsFor(transfers.map((transfer) => transfer.idempotencyKey))).toEqual({
        transfers: 3,
        failures: 0,
      });
      expect(await balances(a, b, c)).toEqual([
        { balance: 50n, pendingDebits: 0n, pendingCredits: 0n, version: 3n },
        { balance: 30n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
        { balance: 20n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
      ]);
    });

    it('counts a hold made earlier in the batch against the available balance, and releases it when the batch fails', async () => {
      const { fixture, a, b, c } = await threeMembers();
      const before = await ledgerState(fixture);

      expect(await outcomes(LINKED, [item(a, b, 80n, { pending: true }), item(a, c, 30n)])).toEqual([
        LINKED_EVENT_FAILED,
        EXCEEDS_LOWER_LIMIT,
      ]);

      expect(await ledgerState(fixture)).toEqual(before);
      expect(await balances(a)).toEqual([{ balance: 100n, pendingDebits: 0n, pendingCredits: 0n, version: 1n }]);
    });
  });

  describe('independent', () => {
    it('gives each transfer its own result: the good ones apply, the bad ones are refused', async () => {
      const { a, b, c } = await threeMembers();
      const transfers = [
        item(a, b, 30n),
        item(a, c, 80n),
        item(b, c, 0n),
        item(UNKNOWN_ACCOUNT, a, 5n),
        item(a, c, 20n, { pending: true, timeoutSeconds: 60 }),
        item(c, c, 5n),
        item(a, b, 10n, { timeoutSeconds: 60 }),
        item(b, c, 30n),
      ];

      expect(await outcomes(INDEPENDENT, transfers)).toEqual([
        'created',
        EXCEEDS_LOWER_LIMIT,
        AMOUNT_MUST_BE_POSITIVE,
        DEBIT_ACCOUNT_NOT_FOUND,
        'created',
        SAME_ACCOUNT,
        TIMEOUT_REQUIRES_PENDING,
        'created',
      ]);

      expect(await balances(a, b, c)).toEqual([
        { balance: 70n, pendingDebits: 20n, pendingCredits: 0n, version: 2n },
        { balance: 0n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
        { balance: 30n, pendingDebits: 0n, pendingCredits: 20n, version: 1n },
      ]);
      const rows = await Promise.all(transfers.map((transfer) => rowsFor([transfer.idempotencyKey])));
      expect(rows).toEqual([
        { transfers: 1, failures: 0 },
        { transfers: 0, failures: 1 },
        { transfers: 0, failures: 0 },
        { transfers: 0, failures: 0 },
        { transfers: 1, failures: 0 },
        { transfers: 0, failures: 0 },
        { transfers: 0, failures: 0 },
        { transfers: 1, failures: 0 },
      ]);
    });
  });

  describe('idempotency within batches', () => {
    it.each([LINKED, INDEPENDENT])('replays a whole %s batch: every transfer replayed, nothing moved', async (mode) => {
      const { fixture, a, b, c } = await threeMembers();
      const transfers = [item(a, b, 60n), item(b, c, 30n, { pending: true }), item(b, a, 10n, { metadata: { x: 1 } })];
      const first = await batch(mode, transfers);
      expect(first.results.map(outcome)).toEqual(['created', 'created', 'created']);
      const before = await ledgerState(fixture);

      const replay = await batch(
        mode,
        transfers.map((transfer) => ({ ...transfer })),
      );

      expect(replay.results.map(outcome)).toEqual(['replayed', 'replayed', 'replayed']);
      expect(replay.results.map(({ transfer }) => transfer!.id)).toEqual(
        first.results.map(({ transfer }) => transfer!.id),
      );
      replay.results.forEach(({ transfer }, index) =>
        expect(transfer).toMatchObject({
          kind: index === 1 ? TransferKind.PENDING : TransferKind.DIRECT,
          amount: transfers[index].amount,
          idempotencyKey: transfers[index].idempotencyKey,
        }),
      );
      expect(await ledgerState(fixture)).toEqual(before);
    });

    it('replays an independent batch with its failures: a failed key stays failed', async () => {
      const { a, b } = await threeMembers();
      const transfers = [item(a, b, 60n), item(a, b, 41n)];
      expect(await outcomes(INDEPENDENT, transfers)).toEqual(['created', EXCEEDS_LOWER_LIMIT]);

      expect(await outcomes(INDEPENDENT, transfers)).toEqual(['replayed', IDEMPOTENCY_KEY_ALREADY_FAILED]);
      expect(await balances(a, b)).toEqual([
        { balance: 40n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
        { balance: 60n, pendingDebits: 0n, pendingCredits: 0n, version: 1n },
      ]);
    });

    it.each([LINKED, INDEPENDENT])(
      'creates once a transfer whose key appears twice in one %s batch with the same request',
      async (mode) => {
        const { a, b, c } = await threeMembers();
        const twice = item(a, b, 25n);

        const { results } = await batch(mode, [twice, item(b, c, 5n), { ...twice }]);

        expect(results.map(outcome)).toEqual(['created', 'created', 'replayed']);
        expect(results[2].transfer!.id).toBe(results[0].transfer!.id);
        expect(await rowsFor([twice.idempotencyKey])).toEqual({ transfers: 1, failures: 0 });
        expect(await balances(a, b)).toEqual([
          { balance: 75n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
          { balance: 20n, pendingDebits: 0n, pendingCredits: 0n, version: 2n },
        ]);
      },
    );

    it.each([
      [
        LINKED,
        [LINKED_EVENT_FAILED, LINKED_EVENT_FAILED, IDEMPOTENCY_KEY_CONFLICT],
        { transfers: 0, failures: 0 },
        100n,
      ],
      [INDEPENDENT, ['created', 'created', IDEMPOTENCY_KEY_CONFLICT], { transfers: 1, failures: 0 }, 70n],
    ])(
      'answers a conflict for one key with two different requests in one batch (%s)',
      async (mode, expected, rows, payerBalance) => {
        const { a, b, c } = await threeMembers();
        const first = item(a, b, 25n);

        expect(await outcomes(mode, [first, item(a, c, 5n), { ...first, amount: 26n }])).toEqual(expected);

        expect(await rowsFor([first.idempotencyKey])).toEqual(rows);
        expect((await balances(a))[0].balance).toBe(payerBalance);
      },
    );
  });

  describe('under concurrency', () => {
    it('never deadlocks, nor needs a retry, with 8 concurrent linked batches of 50 crossing 10 accounts in opposite orders', async () => {
      const accounts = 10;
      const { members } = await createLedgerFixture(
        t,
        Array.from({ length: accounts }, () => ({ balance: 1000n })),
      );
      const failing = 5;
      const batches = Array.from({ length: 8 }, (_, n) => {
        const transfers = Array.from({ length: 50 }, (_, j) => {
          const from = (j + n) % accounts;
          const to = (from + 1 + (n % 3)) % accounts;
          // Even batches walk the accounts upwards, odd ones downwards.
          return n % 2
            ? item(members[to], members[from], BigInt(1 + (j % 7)))
            : item(members[from], members[to], BigInt(1 + (j % 7)));
        }).reverse();
        if (n === failing) transfers[49] = item(members[0], members[1], 5000n);
        return transfers;
      });
      const expected = members.map(() => 1000n);
      batches.forEach((transfers, n) => {
        if (n === failing) return;
        for (const transfer of transfers) {
          expected[members.findIndex((member) => member.id === transfer.debitAccountId)] -= transfer.amount;
          expected[members.findIndex((member) => member.id === transfer.creditAccountId)] += transfer.amount;
        }
      });
      const calls = jest.spyOn(t.app.get(LedgerRepository), 'createTransfers');

      let results: string[][];
      try {
        results = await Promise.all(batches.map((transfers) => outcomes(LINKED, transfers)));
        expect(calls).toHaveBeenCalledTimes(batches.length);
      } finally {
        calls.mockRestore();
      }

      results.forEach((codes, n) =>
        expect(codes).toEqual(
          n === failing ? [...Array(49).fill(LINKED_EVENT_FAILED), EXCEEDS_LOWER_LIMIT] : Array(50).fill('created'),
        ),
      );
      const after = await Promise.all(members.map(async (member) => (await t.ledger.findAccount(member.id))!.balance));
      expect(after).toEqual(expected);
      expect(after.reduce((sum, balance) => sum + balance, 0n)).toBe(10_000n);
      expect(await rowsFor(batches[failing].map((transfer) => transfer.idempotencyKey))).toEqual({
        transfers: 0,
        failures: 0,
      });
    });
  });
});
