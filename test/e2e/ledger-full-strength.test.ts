import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture } from '../../libs/testing/ledger-fixture.js';
import { rowsForKeys } from '../../libs/testing/ledger-rows.js';
import { useTestApp } from '../../libs/testing/test-app.js';
import { MAX_BATCH_SIZE } from '../../src/ledger/dto/ledger.inputs.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { PendingExpirySweeper } from '../../src/ledger/pending-expiry.sweeper.js';
import { fetchAccount, gql, newKey, transferInput, TransferInput } from './graphql-client.js';

const TRANSFER = `id idempotencyKey kind amount code memo metadata debitAccountId creditAccountId pendingTransferId timeoutAt pendingStatus
  reversesTransferId reason forced createdAt postings { accountId amount balanceAfter }
  resolution { id kind amount code pendingTransferId } reversal { id kind reversesTransferId }`;
const PAYLOAD = `transfer { ${TRANSFER} } replayed userErrors { code field }`;
const mutation = (name: string, inputType: string, selection = PAYLOAD): string =>
  `mutation ${name}($input: ${inputType}!) { ${name}(input: $input) { ${selection} } }`;

const CREATE_TRANSFER = mutation('createTransfer', 'CreateTransferInput');
const CREATE_TRANSFERS = mutation('createTransfers', 'CreateTransfersInput', `results { ${PAYLOAD} }`);
const POST_PENDING = mutation('postPendingTransfer', 'PostPendingTransferInput');
const VOID_PENDING = mutation('voidPendingTransfer', 'VoidPendingTransferInput');
const REVERSE = mutation('reverseTransfer', 'ReverseTransferInput');
const TRANSFER_BY_ID = `query Transfer($id: ID!) { transfer(id: $id) { ${TRANSFER} } }`;
const BALANCE_AT = 'query BalanceAt($id: ID!, $at: DateTime!) { account(id: $id) { balance balanceAt(at: $at) } }';

interface TransferView {
  id: string;
  idempotencyKey: string;
  kind: string;
  amount: string;
  code: string;
  memo: string;
  metadata: Record<string, unknown>;
  debitAccountId: string;
  creditAccountId: string;
  pendingTransferId: string | null;
  timeoutAt: string | null;
  pendingStatus: string | null;
  reversesTransferId: string | null;
  reason: string | null;
  forced: boolean;
  createdAt: string;
  postings: { accountId: string; amount: string; balanceAfter: string }[];
  resolution: { id: string; kind: string; amount: string; code: string; pendingTransferId: string } | null;
  reversal: { id: string; kind: string; reversesTransferId: string } | null;
}

interface PayloadView {
  transfer: TransferView | null;
  replayed: boolean;
  userErrors: { code: string; field: string[] | null }[];
}

/** The two-phase, batch, reversal and point-in-time API through GraphQL over real HTTP. */
describe('the full-strength ledger over GraphQL', () => {
  const t = useTestApp(4);

  const call = async (document: string, input: Record<string, unknown>): Promise<PayloadView> =>
    Object.values(await gql<Record<string, PayloadView>>(t, document, { input }))[0];
  const made = async (document: string, input: Record<string, unknown>): Promise<TransferView> => {
    const payload = await call(document, input);
    expect(payload.userErrors).toEqual([]);
    return payload.transfer!;
  };
  const transferById = async (id: string): Promise<TransferView> => (await gql<{ transfer: TransferView }>(t, TRANSFER_BY_ID, { id })).transfer;
  const createTransfers = async (mode: string, transfers: TransferInput[]): Promise<PayloadView[]> =>
    (await gql<{ createTransfers: { results: PayloadView[] } }>(t, CREATE_TRANSFERS, { input: { mode, transfers } })).createTransfers.results;
  const codes = (payload: PayloadView): string[] => payload.userErrors.map((error) => error.code);
  const outcome = (payload: PayloadView): string => payload.userErrors[0]?.code ?? (payload.replayed ? 'replayed' : 'created');
  const balanceAt = async (account: Account, at: Date): Promise<string> =>
    (await gql<{ account: { balanceAt: string } }>(t, BALANCE_AT, { id: account.id, at: at.toISOString() })).account.balanceAt;
  const money = async (account: Account) => {
    const { balance, availableBalance, pendingDebits, pendingCredits } = await fetchAccount(t, account.id);
    return { balance, availableBalance, pendingDebits, pendingCredits };
  };
  const countTransfersWithKeys = async (keys: string[]): Promise<number> => {
    const { transfers, failures } = await rowsForKeys(t.dataSource, keys);
    return transfers + failures;
  };
  const holdOf = async (amount: string, extra: Record<string, unknown> = {}) => {
    const { members: [payer, payee] } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const pending = await made(CREATE_TRANSFER, transferInput(payer.id, payee.id, amount, { pending: true, ...extra }));
    return { payer, payee, pending };
  };

  describe('pending transfers', () => {
    it('holds funds, then posts part of them: kind, pendingTransferId, pendingStatus and resolution', async () => {
      const { payer, payee, pending } = await holdOf('60', { timeoutSeconds: 3600, memo: 'deposit' });

      expect(pending).toMatchObject({
        kind: 'PENDING', amount: '60', memo: 'deposit', pendingTransferId: null, pendingStatus: 'OPEN', resolution: null, reversal: null, postings: [],
        reversesTransferId: null, reason: null, forced: false,
      });
      expect(Date.parse(pending.timeoutAt!) - Date.parse(pending.createdAt)).toBeGreaterThan(3_590_000);
      expect(await money(payer)).toEqual({ balance: '100', availableBalance: '40', pendingDebits: '60', pendingCredits: '0' });
      expect(await money(payee)).toEqual({ balance: '0', availableBalance: '0', pendingDebits: '0', pendingCredits: '60' });

      const posting = await made(POST_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id, amount: '25' });

      expect(posting).toMatchObject({
        kind: 'POST_PENDING', amount: '25', pendingTransferId: pending.id, pendingStatus: null, timeoutAt: null, resolution: null,
        debitAccountId: payer.id, creditAccountId: payee.id,
        postings: [{ accountId: payer.id, amount: '-25', balanceAfter: '75' }, { accountId: payee.id, amount: '25', balanceAfter: '25' }],
      });
      expect(await transferById(pending.id)).toMatchObject({
        pendingStatus: 'POSTED', resolution: { id: posting.id, kind: 'POST_PENDING', amount: '25', code: posting.code, pendingTransferId: pending.id },
      });
      expect(await money(payer)).toEqual({ balance: '75', availableBalance: '75', pendingDebits: '0', pendingCredits: '0' });
      expect(await money(payee)).toEqual({ balance: '25', availableBalance: '25', pendingDebits: '0', pendingCredits: '0' });
    });

    it('voids a hold: VOIDED, no postings, every unit released; a second resolution is refused', async () => {
      const { payer, pending } = await holdOf('60');

      const voiding = await made(VOID_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id, memo: 'cancelled' });

      expect(voiding).toMatchObject({ kind: 'VOID_PENDING', amount: '60', pendingTransferId: pending.id, memo: 'cancelled', postings: [] });
      expect(await transferById(pending.id)).toMatchObject({ pendingStatus: 'VOIDED', resolution: { id: voiding.id, kind: 'VOID_PENDING' } });
      expect(await money(payer)).toEqual({ balance: '100', availableBalance: '100', pendingDebits: '0', pendingCredits: '0' });
      expect(await call(POST_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id })).toEqual({
        transfer: null, replayed: false, userErrors: [{ code: 'PENDING_TRANSFER_ALREADY_VOIDED', field: ['input', 'pendingTransferId'] }],
      });
    });

    it('expires a hold past its timeout: EXPIRED, and a post is refused with PENDING_TRANSFER_EXPIRED', async () => {
      const { payer, pending } = await holdOf('60', { timeoutSeconds: 1 });
      await sleep(1_200);
      await t.app.get(PendingExpirySweeper).sweep();
      // Other test files' apps sweep the same database; one of them may hold this transfer a moment longer.
      const settled = async (): Promise<boolean> => (await t.dataSource.query('SELECT 1 FROM transfers WHERE pending_id = $1', [pending.id])).length > 0;
      for (let waited = 0; !(await settled()) && waited < 10_000; waited += 20) await sleep(20);

      expect(await transferById(pending.id)).toMatchObject({
        pendingStatus: 'EXPIRED', resolution: { kind: 'VOID_PENDING', code: 'expired', amount: '60', pendingTransferId: pending.id },
      });
      expect(await money(payer)).toEqual({ balance: '100', availableBalance: '100', pendingDebits: '0', pendingCredits: '0' });
      expect((await call(POST_PENDING, { idempotencyKey: newKey(), pendingTransferId: pending.id })).userErrors).toEqual([
        { code: 'PENDING_TRANSFER_EXPIRED', field: ['input', 'pendingTransferId'] },
      ]);
    });
  });

  describe('reversals', () => {
    it('reverses a transfer, forced past the payee limit with a reason, and links both ways', async () => {
      const { members: [payer, payee, third] } = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const original = await made(CREATE_TRANSFER, transferInput(payer.id, payee.id, '30'));
      await made(CREATE_TRANSFER, transferInput(payee.id, third.id, '20'));
      expect(codes(await call(REVERSE, { idempotencyKey: newKey(), transferId: original.id }))).toEqual(['EXCEEDS_LOWER_LIMIT']);
      expect((await call(REVERSE, { idempotencyKey: newKey(), transferId: original.id, force: true })).userErrors).toEqual([
        { code: 'REASON_REQUIRED', field: ['input', 'reason'] },
      ]);

      const reversal = await made(REVERSE, { idempotencyKey: newKey(), transferId: original.id, force: true, reason: 'paid by mistake' });

      expect(reversal).toMatchObject({
        kind: 'DIRECT', code: 'reversal', amount: '30', debitAccountId: payee.id, creditAccountId: payer.id, reversesTransferId: original.id,
        reason: 'paid by mistake', forced: true, metadata: { limitsWidened: [{ accountId: payee.id, lowerLimitWas: '0', upperLimitWas: null }] },
        postings: [{ accountId: payee.id, amount: '-30', balanceAfter: '-20' }, { accountId: payer.id, amount: '30', balanceAfter: '100' }],
      });
      expect((await transferById(original.id)).reversal).toEqual({ id: reversal.id, kind: 'DIRECT', reversesTransferId: original.id });
      expect(await fetchAccount(t, payee.id)).toMatchObject({ balance: '-20', lowerLimit: '-20' });
      expect((await call(REVERSE, { idempotencyKey: newKey(), transferId: original.id, reason: 'again' })).userErrors).toEqual([
        { code: 'TRANSFER_ALREADY_REVERSED', field: ['input', 'transferId'] },
      ]);
    });
  });

  describe('batches', () => {
    it('applies a LINKED batch whole, and replays it whole', async () => {
      const { members: [a, b, c] } = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const transfers = [transferInput(a.id, b.id, '60'), transferInput(b.id, c.id, '50'), transferInput(a.id, c.id, '10', { pending: true })];

      const results = await createTransfers('LINKED', transfers);

      expect(results.map(outcome)).toEqual(['created', 'created', 'created']);
      expect(results.map(({ transfer }) => [transfer!.kind, transfer!.amount, transfer!.idempotencyKey])).toEqual(
        transfers.map((input, index) => [index === 2 ? 'PENDING' : 'DIRECT', input.amount, input.idempotencyKey]),
      );
      const replay = await createTransfers('LINKED', transfers);
      expect(replay.map(outcome)).toEqual(['replayed', 'replayed', 'replayed']);
      expect(replay.map(({ transfer }) => transfer!.id)).toEqual(results.map(({ transfer }) => transfer!.id));
      expect(await Promise.all([a, b, c].map(money))).toEqual([
        { balance: '40', availableBalance: '30', pendingDebits: '10', pendingCredits: '0' },
        { balance: '10', availableBalance: '10', pendingDebits: '0', pendingCredits: '0' },
        { balance: '50', availableBalance: '50', pendingDebits: '0', pendingCredits: '10' },
      ]);
    });

    it('applies nothing of a LINKED batch with one bad transfer', async () => {
      const { members: [a, b, c] } = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
      const transfers = [transferInput(a.id, b.id, '60'), transferInput(b.id, c.id, '61'), transferInput(c.id, a.id, '1')];

      const results = await createTransfers('LINKED', transfers);

      expect(results).toEqual([
        { transfer: null, replayed: false, userErrors: [{ code: 'LINKED_EVENT_FAILED', field: null }] },
        { transfer: null, replayed: false, userErrors: [{ code: 'EXCEEDS_LOWER_LIMIT', field: ['input', 'amount'] }] },
        { transfer: null, replayed: false, userErrors: [{ code: 'LINKED_EVENT_FAILED', field: null }] },
      ]);
      expect(await countTransfersWithKeys(transfers.map((input) => input.idempotencyKey))).toBe(0);
      expect(await money(a)).toEqual({ balance: '100', availableBalance: '100', pendingDebits: '0', pendingCredits: '0' });
    });

    it('gives each transfer of an INDEPENDENT batch its own result', async () => {
      const { members: [a, b] } = await createLedgerFixture(t, [{ balance: 100n }, {}]);

      const results = await createTransfers('INDEPENDENT', [
        transferInput(a.id, b.id, '30'), transferInput(a.id, b.id, '71'), transferInput(a.id, b.id, '0'), transferInput(a.id, b.id, '70'),
      ]);

      expect(results.map(outcome)).toEqual(['created', 'EXCEEDS_LOWER_LIMIT', 'AMOUNT_MUST_BE_POSITIVE', 'created']);
      expect(await money(b)).toMatchObject({ balance: '100' });
    });

    it(`accepts ${MAX_BATCH_SIZE} transfers in one batch`, async () => {
      const { issuance, members: [member] } = await createLedgerFixture(t, [{}]);

      const results = await createTransfers('LINKED', Array.from({ length: MAX_BATCH_SIZE }, () => transferInput(issuance.id, member.id, '1')));

      expect(results).toHaveLength(MAX_BATCH_SIZE);
      expect(results.every((result) => outcome(result) === 'created')).toBe(true);
      expect(await fetchAccount(t, member.id)).toMatchObject({ balance: String(MAX_BATCH_SIZE), version: String(MAX_BATCH_SIZE) });
    });

    it.each([
      [`${MAX_BATCH_SIZE + 1} transfers`, MAX_BATCH_SIZE + 1],
      ['no transfers', 0],
    ])('refuses a batch of %s with BAD_USER_INPUT, applying nothing', async (_name, size) => {
      const { issuance, members: [member] } = await createLedgerFixture(t, [{}]);
      const transfers = Array.from({ length: size }, () => transferInput(issuance.id, member.id, '1'));

      const response = await t.graphql(CREATE_TRANSFERS, { input: { mode: 'LINKED', transfers } });

      expect(response.status).toBe(200);
      expect(response.data).toBeNull();
      const invalidFields = (extensions?: Record<string, any>) => extensions?.invalidFields?.map((invalid: { field: string }) => invalid.field);
      expect(response.errors!.map(({ extensions }) => ({ code: extensions?.code, fields: invalidFields(extensions) })))
        .toEqual([{ code: ErrorCode.BAD_USER_INPUT, fields: ['transfers'] }]);
      expect(await countTransfersWithKeys(transfers.map((input) => input.idempotencyKey))).toBe(0);
      expect(await fetchAccount(t, member.id)).toMatchObject({ balance: '0', version: '0' });
    });
  });

  describe('Account.balanceAt', () => {
    /** An instant strictly between two timestamps a few milliseconds apart. */
    const between = (earlier: string, later: string): Date => new Date((Date.parse(earlier) + Date.parse(later)) / 2);
    const shortly = () => sleep(20);

    it('is 0 before any posting, the balance then between transfers, and the current balance after; holds do not count', async () => {
      const { issuance, members: [member, other] } = await createLedgerFixture(t, [{}, {}]);
      const funding = await made(CREATE_TRANSFER, transferInput(issuance.id, member.id, '100'));
      await shortly();
      const payment = await made(CREATE_TRANSFER, transferInput(member.id, other.id, '30'));
      await shortly();
      const hold = await made(CREATE_TRANSFER, transferInput(member.id, other.id, '50', { pending: true }));
      await shortly();
      const refund = await made(CREATE_TRANSFER, transferInput(other.id, member.id, '5'));
      await shortly();

      const instants = [
        new Date(Date.parse(funding.createdAt) - 1), between(funding.createdAt, payment.createdAt), between(payment.createdAt, hold.createdAt),
        between(hold.createdAt, refund.createdAt), new Date(),
      ];
      expect(await Promise.all(instants.map((at) => balanceAt(member, at)))).toEqual(['0', '100', '70', '70', '75']);
      expect(await Promise.all(instants.map((at) => balanceAt(other, at)))).toEqual(['0', '0', '30', '30', '25']);
      expect(await fetchAccount(t, member.id)).toMatchObject({ balance: '75', availableBalance: '25' });
    });

    it("counts a transfer made at exactly the instant asked for (the transfer's own createdAt)", async () => {
      const { issuance, members: [member] } = await createLedgerFixture(t, [{}]);
      const funding = await made(CREATE_TRANSFER, transferInput(issuance.id, member.id, '100'));

      expect(await balanceAt(member, new Date(funding.createdAt))).toBe('100');
    });
  });
});
