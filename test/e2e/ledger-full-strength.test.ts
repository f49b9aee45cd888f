import { setTimeout as sleep } from 'node:timers/promises';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { rowsForKeys } from '../support/ledger-rows.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { MAX_BATCH_SIZE } from '../../src/ledger/dto/ledger.inputs.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { PendingExpirySweeper } from '../../src/ledger/pending-expiry.sweeper.js';
import { expectForbidden, NONEXISTENT_ID } from './denials.js';
import {
  expectInvalidInput,
  fetchAccount,
  gql,
  newKey,
  PostingView,
  transferInput,
  TransferInput,
  TransferView,
} from './graphql-client.js';
import { AuditRow, auditRows, refusalCodes } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

/** The global id of a fixture's account, as the API names it. */
const accountId = (account: { id: string }): string => globalId('Account', account.id);

const TRANSFER = `id idempotencyKey kind amount code memo metadata debitAccountId creditAccountId pendingTransferId timeoutAt pendingStatus
  reversesTransferId reason forced createdAt postings { accountId amount balanceAfter }
  resolution { id kind amount code pendingTransferId } reversal { id kind reversesTransferId }`;
const PAYLOAD = `transfer { ${TRANSFER} } replayed userErrors { code field }`;
const mutation = (name: string, inputType: string, selection = PAYLOAD): string =>
  `mutation ${name}($input: ${inputType}!) { ${name}(input: $input) { ${selection} } }`;

const CREATE_TRANSFER = mutation('createTransfer', 'CreateTransferInput');
const CREATE_TRANSFERS = mutation('createTransfers', 'CreateTransfersInput', `results { ${PAYLOAD} }`);
/** With the batch's own userErrors: its input's validation. */
const CREATE_TRANSFERS_WITH_BATCH_ERRORS = mutation(
  'createTransfers',
  'CreateTransfersInput',
  `results { ${PAYLOAD} } userErrors { code field message }`,
);
const POST_PENDING = mutation('postPendingTransfer', 'PostPendingTransferInput');
const VOID_PENDING = mutation('voidPendingTransfer', 'VoidPendingTransferInput');
const REVERSE = mutation('reverseTransfer', 'ReverseTransferInput');
const GRANT_CREDITS = mutation('grantCredits', 'GrantCreditsInput');
const TRANSFER_BY_ID = `query Transfer($id: ID!) { transfer(id: $id) { ${TRANSFER} } }`;
const BALANCE_AT = 'query BalanceAt($id: ID!, $at: DateTime!) { account(id: $id) { balance balanceAt(at: $at) } }';

/** A transfer as TRANSFER selects it: the common fields, the full-strength ones, and only the postings' running balances. */
interface LedgerTransferView extends Omit<TransferView, 'postings'> {
  kind: string;
  pendingTransferId: string | null;
  timeoutAt: string | null;
  pendingStatus: string | null;
  reversesTransferId: string | null;
  reason: string | null;
  forced: boolean;
  postings: Pick<PostingView, 'accountId' | 'amount' | 'balanceAfter'>[];
  resolution: { id: string; kind: string; amount: string; code: string; pendingTransferId: string } | null;
  reversal: { id: string; kind: string; reversesTransferId: string } | null;
}

interface PayloadView {
  transfer: LedgerTransferView | null;
  replayed: boolean;
  userErrors: { code: string; field: string[] | null }[];
}

/** The two-phase, batch, reversal and point-in-time API through GraphQL over real HTTP, each call made by whoever may make it. */
describe('the full-strength ledger over GraphQL', () => {
  const t = useTestApp(4);

  const call = async (client: GraphqlClient, document: string, input: Record<string, unknown>): Promise<PayloadView> =>
    Object.values(await gql<Record<string, PayloadView>>(client, document, { input }))[0];
  const made = async (
    client: GraphqlClient,
    document: string,
    input: Record<string, unknown>,
  ): Promise<LedgerTransferView> => {
    const payload = await call(client, document, input);
    expect(payload.userErrors).toEqual([]);
    return payload.transfer!;
  };
  const transferById = async (client: GraphqlClient, id: string): Promise<LedgerTransferView> =>
    (await gql<{ transfer: LedgerTransferView }>(client, TRANSFER_BY_ID, { id })).transfer;
  const createTransfers = async (
    client: GraphqlClient,
    mode: string,
    transfers: TransferInput[],
  ): Promise<PayloadView[]> =>
    (
      await gql<{ createTransfers: { results: PayloadView[] } }>(client, CREATE_TRANSFERS, {
        input: { mode, transfers },
      })
    ).createTransfers.results;
  const outcome = (payload: PayloadView): string =>
    payload.userErrors[0]?.code ?? (payload.replayed ? 'replayed' : 'created');
  /** A point-in-time balance, as the account's holder reads it. */
  const balanceAt = async (fixture: LedgerFixture, account: Account, at: Date): Promise<string> =>
    (
      await gql<{ account: { balanceAt: string } }>(fixture.as(account), BALANCE_AT, {
        id: account.id,
        at: at.toISOString(),
      })
    ).account.balanceAt;
  /** An account's money, as its holder reads it. */
  const money = async (fixture: LedgerFixture, account: Account) => {
    const { balance, availableBalance, pendingDebits, pendingCredits } = await fetchAccount(
      fixture.as(account),
      account.id,
    );
    return { balance, availableBalance, pendingDebits, pendingCredits };
  };
  const untouched = { balance: '0', availableBalance: '0', pendingDebits: '0', pendingCredits: '0' };
  const countTransfersWithKeys = async (keys: string[]): Promise<number> => {
    const { transfers, failures } = await rowsForKeys(t.dataSource, keys);
    return transfers + failures;
  };
  /** The audit rows of the fixture's money moves (its setup may log other things). */
  const ledgerAudit = async (fixture: LedgerFixture): Promise<AuditRow[]> =>
    (await auditRows(t, { communityId: fixture.community.id })).filter((row) => row.action.startsWith('ledger.'));
  /** A fresh hold of the first member's money for the second, made by the payer. */
  const holdOf = async (amount: string, extra: Record<string, unknown> = {}) => {
    const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const [payer, payee] = fixture.members;
    const pending = await made(
      fixture.as(payer),
      CREATE_TRANSFER,
      transferInput(payer.id, payee.id, amount, { pending: true, ...extra }),
    );
    return { fixture, payer, payee, pending };
  };

  describe('pending transfers', () => {
    it('holds funds, then the payer posts part of them: kind, pendingTransferId, pendingStatus and resolution', async () => {
      const { fixture, payer, payee, pending } = await holdOf('60', { timeoutSeconds: 3600, memo: 'deposit' });

      expect(pending).toMatchObject({
        kind: 'PENDING',
        amount: '60',
        memo: 'deposit',
        pendingTransferId: null,
        pendingStatus: 'OPEN',
        resolution: null,
        reversal: null,
        postings: [],
        reversesTransferId: null,
        reason: null,
        forced: false,
      });
      expect(Date.parse(pending.timeoutAt!) - Date.parse(pending.createdAt)).toBeGreaterThan(3_590_000);
      expect(await money(fixture, payer)).toEqual({
        balance: '100',
        availableBalance: '40',
        pendingDebits: '60',
        pendingCredits: '0',
      });
      expect(await money(fixture, payee)).toEqual({
        balance: '0',
        availableBalance: '0',
        pendingDebits: '0',
        pendingCredits: '60',
      });
      // Posting spends the payer's reservation: the payee may not decide that.
      expectForbidden(
        await fixture
          .as(payee)
          .graphql(POST_PENDING, { input: { idempotencyKey: newKey(), pendingTransferId: pending.id } }),
      );

      const posting = await made(fixture.as(payer), POST_PENDING, {
        idempotencyKey: newKey(),
        pendingTransferId: pending.id,
        amount: '25',
      });

      // The payer sees only their own posting: the payee's carries the payee's running balance.
      expect(posting).toMatchObject({
        kind: 'POST_PENDING',
        amount: '25',
        pendingTransferId: pending.id,
        pendingStatus: null,
        timeoutAt: null,
        resolution: null,
        debitAccountId: accountId(payer),
        creditAccountId: accountId(payee),
        postings: [{ accountId: accountId(payer), amount: '-25', balanceAfter: '75' }],
      });
      expect((await transferById(fixture.asCoordinator(), posting.id)).postings).toEqual([
        { accountId: accountId(payer), amount: '-25', balanceAfter: '75' },
        { accountId: accountId(payee), amount: '25', balanceAfter: '25' },
      ]);
      expect(await transferById(fixture.as(payer), pending.id)).toMatchObject({
        pendingStatus: 'POSTED',
        resolution: {
          id: posting.id,
          kind: 'POST_PENDING',
          amount: '25',
          code: posting.code,
          pendingTransferId: pending.id,
        },
      });
      expect(await money(fixture, payer)).toEqual({
        balance: '75',
        availableBalance: '75',
        pendingDebits: '0',
        pendingCredits: '0',
      });
      expect(await money(fixture, payee)).toEqual({
        balance: '25',
        availableBalance: '25',
        pendingDebits: '0',
        pendingCredits: '0',
      });
    });

    it("voids a hold at the payee's word: VOIDED, no postings, every unit released; a second resolution is refused", async () => {
      const { fixture, payer, payee, pending } = await holdOf('60');

      const voiding = await made(fixture.as(payee), VOID_PENDING, {
        idempotencyKey: newKey(),
        pendingTransferId: pending.id,
        memo: 'cancelled',
      });

      expect(voiding).toMatchObject({
        kind: 'VOID_PENDING',
        amount: '60',
        pendingTransferId: pending.id,
        memo: 'cancelled',
        postings: [],
      });
      expect(await transferById(fixture.as(payer), pending.id)).toMatchObject({
        pendingStatus: 'VOIDED',
        resolution: { id: voiding.id, kind: 'VOID_PENDING' },
      });
      expect(await money(fixture, payer)).toEqual({
        balance: '100',
        availableBalance: '100',
        pendingDebits: '0',
        pendingCredits: '0',
      });
      expect(await money(fixture, payee)).toEqual(untouched);
      expect(
        await call(fixture.as(payer), POST_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id }),
      ).toEqual({
        transfer: null,
        replayed: false,
        userErrors: [{ code: 'PENDING_TRANSFER_ALREADY_VOIDED', field: ['input', 'pendingTransferId'] }],
      });
    });

    it('expires a hold past its timeout: EXPIRED, and a post is refused with PENDING_TRANSFER_EXPIRED', async () => {
      const { fixture, payer, pending } = await holdOf('60', { timeoutSeconds: 1 });
      await sleep(1_200);
      await t.app.get(PendingExpirySweeper).sweep();

      expect(await transferById(fixture.as(payer), pending.id)).toMatchObject({
        pendingStatus: 'EXPIRED',
        resolution: { kind: 'VOID_PENDING', code: 'expired', amount: '60', pendingTransferId: pending.id },
      });
      expect(await money(fixture, payer)).toEqual({
        balance: '100',
        availableBalance: '100',
        pendingDebits: '0',
        pendingCredits: '0',
      });
      expect(
        (await call(fixture.as(payer), POST_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id }))
          .userErrors,
      ).toEqual([{ code: 'PENDING_TRANSFER_EXPIRED', field: ['input', 'pendingTransferId'] }]);
    });

    it.each([
      ['post', POST_PENDING],
      ['void', VOID_PENDING],
    ])(
      'refuses to %s a hold that does not exist exactly as one of strangers: FORBIDDEN, nothing written',
      async (_name, document) => {
        const { fixture, payer, pending } = await holdOf('60');
        const strangers = await createLedgerFixture(t, [{}]);
        const keys = [newKey(), newKey()];

        const missing = await fixture
          .as(payer)
          .graphql(document, { input: { idempotencyKey: keys[0], pendingTransferId: NONEXISTENT_ID } });
        const foreign = await strangers
          .as(strangers.members[0])
          .graphql(document, { input: { idempotencyKey: keys[1], pendingTransferId: pending.id } });

        expectForbidden(missing);
        expect(foreign).toEqual(missing);
        expect(await countTransfersWithKeys(keys)).toBe(0);
        expect(await transferById(fixture.as(payer), pending.id)).toMatchObject({
          pendingStatus: 'OPEN',
          resolution: null,
        });
        expect(await money(fixture, payer)).toEqual({
          balance: '100',
          availableBalance: '40',
          pendingDebits: '60',
          pendingCredits: '0',
        });
      },
    );
  });

  describe('reversals', () => {
    /** The audit row of a coordinator's reversal: who, in what capacity, which transfer, why. */
    const reversalAudit = (
      fixture: LedgerFixture,
      action: string,
      reversal: LedgerTransferView,
      reason: string,
    ): AuditRow => ({
      actorMemberId: fixture.coordinator.memberId,
      actorRole: 'coordinator',
      partnerAppId: null,
      communityId: fixture.community.id,
      action,
      targetType: 'transfer',
      targetId: rowId(reversal.id),
      reason,
      // Audit rows and their details carry database ids.
      details: {
        reverses: rowId(reversal.reversesTransferId!),
        debitAccountId: rowId(reversal.debitAccountId),
        creditAccountId: rowId(reversal.creditAccountId),
        amount: reversal.amount,
      },
    });

    it("reverses a transfer at its coordinator's word, forced past the payee limit with a reason, audited, and links both ways", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const {
        members: [payer, payee, third],
      } = fixture;
      const coordinator = fixture.asCoordinator();
      const original = await made(fixture.as(payer), CREATE_TRANSFER, transferInput(payer.id, payee.id, '30'));
      await made(fixture.as(payee), CREATE_TRANSFER, transferInput(payee.id, third.id, '20'));
      expect(
        refusalCodes(await call(coordinator, REVERSE, { idempotencyKey: newKey(), transferId: original.id })),
      ).toEqual(['EXCEEDS_LOWER_LIMIT']);
      expect(
        (await call(coordinator, REVERSE, { idempotencyKey: newKey(), transferId: original.id, force: true }))
          .userErrors,
      ).toEqual([{ code: 'REASON_REQUIRED', field: ['input', 'reason'] }]);

      const reversal = await made(coordinator, REVERSE, {
        idempotencyKey: newKey(),
        transferId: original.id,
        force: true,
        reason: 'paid by mistake',
      });

      expect(reversal).toMatchObject({
        kind: 'DIRECT',
        code: 'reversal',
        amount: '30',
        debitAccountId: accountId(payee),
        creditAccountId: accountId(payer),
        reversesTransferId: original.id,
        reason: 'paid by mistake',
        forced: true,
        metadata: { limitsWidened: [{ accountId: payee.id, lowerLimitWas: '0', upperLimitWas: null }] },
        postings: [
          { accountId: accountId(payee), amount: '-30', balanceAfter: '-20' },
          { accountId: accountId(payer), amount: '30', balanceAfter: '100' },
        ],
      });
      expect((await transferById(fixture.as(payer), original.id)).reversal).toEqual({
        id: reversal.id,
        kind: 'DIRECT',
        reversesTransferId: original.id,
      });
      expect(await fetchAccount(fixture.as(payee), payee.id)).toMatchObject({ balance: '-20', lowerLimit: '-20' });
      expect(
        (await call(coordinator, REVERSE, { idempotencyKey: newKey(), transferId: original.id, reason: 'again' }))
          .userErrors,
      ).toEqual([{ code: 'TRANSFER_ALREADY_REVERSED', field: ['input', 'transferId'] }]);
      // One row for the one reversal that happened; the refused attempts left none.
      expect(await ledgerAudit(fixture)).toEqual([
        reversalAudit(fixture, 'ledger.force_reversal', reversal, 'paid by mistake'),
      ]);
    });

    it("is refused to the transfer's parties (REVERSAL_NOT_PERMITTED) and to another community's coordinator (FORBIDDEN), writing nothing", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const elsewhere = await createLedgerFixture(t, []);
      const {
        members: [payer, payee],
      } = fixture;
      const original = await made(fixture.as(payer), CREATE_TRANSFER, transferInput(payer.id, payee.id, '30'));
      const keys: string[] = [];
      const reversalInput = (transferId = original.id) => {
        keys.push(newKey());
        return { idempotencyKey: keys.at(-1), transferId, reason: 'refund' };
      };

      for (const party of [payer, payee]) {
        expect(await call(fixture.as(party), REVERSE, reversalInput())).toEqual({
          transfer: null,
          replayed: false,
          userErrors: [{ code: 'REVERSAL_NOT_PERMITTED', field: ['input', 'transferId'] }],
        });
      }
      const foreign = await elsewhere.asCoordinator().graphql(REVERSE, { input: reversalInput() });
      expectForbidden(foreign);
      // A coordinator cannot tell a transfer of another community from one that does not exist.
      expect(await elsewhere.asCoordinator().graphql(REVERSE, { input: reversalInput(NONEXISTENT_ID) })).toEqual(
        foreign,
      );

      expect(await countTransfersWithKeys(keys)).toBe(0);
      expect((await transferById(fixture.as(payer), original.id)).reversal).toBeNull();
      expect(await money(fixture, payee)).toMatchObject({ balance: '30' });
      expect([...(await ledgerAudit(fixture)), ...(await ledgerAudit(elsewhere))]).toEqual([]);

      const reversal = await made(fixture.asCoordinator(), REVERSE, reversalInput());

      expect(reversal).toMatchObject({
        reversesTransferId: original.id,
        reason: 'refund',
        forced: false,
        debitAccountId: accountId(payee),
        creditAccountId: accountId(payer),
      });
      expect(await money(fixture, payee)).toMatchObject({ balance: '0' });
      expect(await ledgerAudit(fixture)).toEqual([reversalAudit(fixture, 'ledger.reversal', reversal, 'refund')]);
    });
  });

  describe('batches', () => {
    // A batch moves only the caller's own money, so each one here debits one member's account.
    it('applies a LINKED batch whole, each transfer after the ones before it, and replays it whole', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const {
        members: [a, b, c],
      } = fixture;
      const transfers = [
        transferInput(a.id, b.id, '60'),
        transferInput(a.id, c.id, '30'),
        transferInput(a.id, c.id, '10', { pending: true }),
      ];

      const results = await createTransfers(fixture.as(a), 'LINKED', transfers);

      expect(results.map(outcome)).toEqual(['created', 'created', 'created']);
      expect(results.map(({ transfer }) => [transfer!.kind, transfer!.amount, transfer!.idempotencyKey])).toEqual(
        transfers.map((input, index) => [index === 2 ? 'PENDING' : 'DIRECT', input.amount, input.idempotencyKey]),
      );
      const replay = await createTransfers(fixture.as(a), 'LINKED', transfers);
      expect(replay.map(outcome)).toEqual(['replayed', 'replayed', 'replayed']);
      expect(replay.map(({ transfer }) => transfer!.id)).toEqual(results.map(({ transfer }) => transfer!.id));
      expect(await Promise.all([a, b, c].map((account) => money(fixture, account)))).toEqual([
        { balance: '10', availableBalance: '0', pendingDebits: '10', pendingCredits: '0' },
        { balance: '60', availableBalance: '60', pendingDebits: '0', pendingCredits: '0' },
        { balance: '30', availableBalance: '30', pendingDebits: '0', pendingCredits: '10' },
      ]);
    });

    it('applies nothing of a LINKED batch with one transfer the ones before it leave no room for', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const {
        members: [a, b, c],
      } = fixture;
      const transfers = [
        transferInput(a.id, b.id, '60'),
        transferInput(a.id, c.id, '41'),
        transferInput(a.id, c.id, '1'),
      ];

      const results = await createTransfers(fixture.as(a), 'LINKED', transfers);

      expect(results).toEqual([
        { transfer: null, replayed: false, userErrors: [{ code: 'LINKED_EVENT_FAILED', field: null }] },
        { transfer: null, replayed: false, userErrors: [{ code: 'EXCEEDS_LOWER_LIMIT', field: ['input', 'amount'] }] },
        { transfer: null, replayed: false, userErrors: [{ code: 'LINKED_EVENT_FAILED', field: null }] },
      ]);
      expect(await countTransfersWithKeys(transfers.map((input) => input.idempotencyKey))).toBe(0);
      expect(await money(fixture, a)).toEqual({
        balance: '100',
        availableBalance: '100',
        pendingDebits: '0',
        pendingCredits: '0',
      });
    });

    it('gives each transfer of an INDEPENDENT batch its own result', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const {
        members: [a, b],
      } = fixture;

      const results = await createTransfers(fixture.as(a), 'INDEPENDENT', [
        transferInput(a.id, b.id, '30'),
        transferInput(a.id, b.id, '71'),
        transferInput(a.id, b.id, '0'),
        transferInput(a.id, b.id, '70'),
      ]);

      expect(results.map(outcome)).toEqual(['created', 'EXCEEDS_LOWER_LIMIT', 'AMOUNT_MUST_BE_POSITIVE', 'created']);
      expect(await money(fixture, b)).toMatchObject({ balance: '100' });
    });

    it("refuses a whole batch that debits any account not the caller's own, even the issuance account for its coordinator: FORBIDDEN", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }, {}]);
      const {
        issuance,
        members: [a, b, c],
      } = fixture;
      const attempts: [GraphqlClient, TransferInput[]][] = [
        [fixture.as(a), [transferInput(a.id, c.id, '10'), transferInput(b.id, c.id, '10')]],
        // Managers move the community's money one audited transfer at a time, never in a batch.
        [fixture.asCoordinator(), [transferInput(issuance.id, c.id, '10')]],
      ];

      for (const [client, transfers] of attempts) {
        expectForbidden(await client.graphql(CREATE_TRANSFERS, { input: { mode: 'INDEPENDENT', transfers } }));
        expect(await countTransfersWithKeys(transfers.map((input) => input.idempotencyKey))).toBe(0);
      }
      expect(await money(fixture, c)).toEqual(untouched);
      expect(await ledgerAudit(fixture)).toEqual([]);
    });

    it(`accepts ${MAX_BATCH_SIZE} transfers in one batch`, async () => {
      const fixture = await createLedgerFixture(t, [{ balance: BigInt(MAX_BATCH_SIZE) }, {}]);
      const {
        members: [payer, payee],
      } = fixture;

      const results = await createTransfers(
        fixture.as(payer),
        'LINKED',
        Array.from({ length: MAX_BATCH_SIZE }, () => transferInput(payer.id, payee.id, '1')),
      );

      expect(results).toHaveLength(MAX_BATCH_SIZE);
      expect(results.every((result) => outcome(result) === 'created')).toBe(true);
      expect(await fetchAccount(fixture.as(payee), payee.id)).toMatchObject({
        balance: String(MAX_BATCH_SIZE),
        version: String(MAX_BATCH_SIZE),
      });
      expect(await money(fixture, payer)).toMatchObject({ balance: '0' });
    });

    it.each([
      [`${MAX_BATCH_SIZE + 1} transfers`, MAX_BATCH_SIZE + 1],
      ['no transfers', 0],
    ])('refuses a batch of %s as the userError INVALID_INPUT, applying nothing', async (_name, size) => {
      const fixture = await createLedgerFixture(t, [{ balance: BigInt(MAX_BATCH_SIZE + 1) }, {}]);
      const {
        members: [payer, payee],
      } = fixture;
      const transfers = Array.from({ length: size }, () => transferInput(payer.id, payee.id, '1'));

      const response = await fixture.as(payer).graphql(CREATE_TRANSFERS_WITH_BATCH_ERRORS, {
        input: { mode: 'LINKED', transfers },
      });

      expect(response.status).toBe(200);
      expectInvalidInput(response, [['input', 'transfers']]);
      expect(await countTransfersWithKeys(transfers.map((input) => input.idempotencyKey))).toBe(0);
      expect(await fetchAccount(fixture.as(payee), payee.id)).toMatchObject({ balance: '0', version: '0' });
    });
  });

  describe('Account.balanceAt', () => {
    /** An instant strictly between two timestamps a few milliseconds apart. */
    const between = (earlier: string, later: string): Date => new Date((Date.parse(earlier) + Date.parse(later)) / 2);
    const shortly = () => sleep(20);

    it('is 0 before any posting, the balance then between transfers, and the current balance after; holds do not count', async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const {
        issuance,
        members: [member, other],
      } = fixture;
      // The issuance account is the community's: its coordinator pays from it, and that is audited.
      const funding = await made(
        fixture.asCoordinator(),
        CREATE_TRANSFER,
        transferInput(issuance.id, member.id, '100'),
      );
      await shortly();
      const payment = await made(fixture.as(member), CREATE_TRANSFER, transferInput(member.id, other.id, '30'));
      await shortly();
      const hold = await made(
        fixture.as(member),
        CREATE_TRANSFER,
        transferInput(member.id, other.id, '50', { pending: true }),
      );
      await shortly();
      const refund = await made(fixture.as(other), CREATE_TRANSFER, transferInput(other.id, member.id, '5'));
      await shortly();

      const instants = [
        new Date(Date.parse(funding.createdAt) - 1),
        between(funding.createdAt, payment.createdAt),
        between(payment.createdAt, hold.createdAt),
        between(hold.createdAt, refund.createdAt),
        new Date(),
      ];
      expect(await Promise.all(instants.map((at) => balanceAt(fixture, member, at)))).toEqual([
        '0',
        '100',
        '70',
        '70',
        '75',
      ]);
      expect(await Promise.all(instants.map((at) => balanceAt(fixture, other, at)))).toEqual([
        '0',
        '0',
        '30',
        '30',
        '25',
      ]);
      expect(await fetchAccount(fixture.as(member), member.id)).toMatchObject({
        balance: '75',
        availableBalance: '25',
      });
      // Only the coordinator's move of community money is audited; members' own payments are not.
      expect(await ledgerAudit(fixture)).toEqual([
        {
          actorMemberId: fixture.coordinator.memberId,
          actorRole: 'coordinator',
          partnerAppId: null,
          communityId: fixture.community.id,
          action: 'ledger.transfer_from_community_account',
          targetType: 'transfer',
          targetId: rowId(funding.id),
          reason: null,
          details: { debitAccountId: issuance.id, creditAccountId: member.id, amount: '100' },
        },
      ]);
    });

    it("counts a transfer made at exactly the instant asked for (the transfer's own createdAt)", async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const {
        members: [member],
      } = fixture;
      const grant = await made(fixture.asCoordinator(), GRANT_CREDITS, {
        idempotencyKey: newKey(),
        accountId: accountId(member),
        amount: '100',
        source: 'ISSUANCE',
      });

      expect(await balanceAt(fixture, member, new Date(grant.createdAt))).toBe('100');
    });
  });
});
