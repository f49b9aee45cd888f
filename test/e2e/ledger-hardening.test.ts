import { globalId } from '../support/global-ids.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import {
  AccountView,
  fetchAccount,
  gql,
  newKey,
  rowsForKey,
  TRANSFER_FIELDS,
  TransferView,
  transferInput,
} from './graphql-client.js';

const MAX_SAFE = '9007199254740991'; // 2^53 - 1
const USER_ERRORS = 'userErrors { code field message originalCode }';

interface RefusalView {
  code: string;
  field: string[] | null;
  message: string;
  originalCode: string | null;
}

interface PayloadView {
  transfer: TransferView | null;
  replayed: boolean;
  userErrors: RefusalView[];
}

const CREATE_TRANSFER = `mutation CreateTransfer($input: CreateTransferInput!) {
  createTransfer(input: $input) { transfer { ${TRANSFER_FIELDS} } replayed ${USER_ERRORS} }
}`;
const CREATE_TRANSFERS = `mutation CreateTransfers($input: CreateTransfersInput!) {
  createTransfers(input: $input) { results { transfer { id } replayed ${USER_ERRORS} } }
}`;
const GRANT_CREDITS = `mutation GrantCredits($input: GrantCreditsInput!) {
  grantCredits(input: $input) { transfer { id amount } replayed ${USER_ERRORS} }
}`;

const pay = async (client: GraphqlClient, input: Record<string, unknown>): Promise<PayloadView> =>
  (await gql<{ createTransfer: PayloadView }>(client, CREATE_TRANSFER, { input })).createTransfer;
const grant = async (client: GraphqlClient, input: Record<string, unknown>): Promise<PayloadView> =>
  (await gql<{ grantCredits: PayloadView }>(client, GRANT_CREDITS, { input })).grantCredits;
const codesOf = (payload: PayloadView): string[] => payload.userErrors.map((error) => error.code);

/** Every amount an account serves, which the API promises stay within ±(2^53−1). */
const servedAmounts = (account: AccountView): bigint[] =>
  [
    account.balance,
    account.availableBalance,
    account.postedDebits,
    account.postedCredits,
    account.pendingDebits,
    account.pendingCredits,
  ].map(BigInt);

/** Issue 11 over GraphQL: what outside testing found, each answered as data with a stable code. */
describe('ledger hardening over GraphQL', () => {
  const t = useTestApp(4);

  it('refuses a second grant of 2^53−1 with BALANCE_OUT_OF_RANGE, never a server error, and serves nothing beyond the range', async () => {
    const fixture = await createLedgerFixture(t, [{}]);
    const [account] = fixture.members;
    const coordinator = fixture.asCoordinator();
    const grantMax = () => ({
      accountId: account.id,
      amount: MAX_SAFE,
      source: 'ISSUANCE',
      idempotencyKey: newKey('grant'),
      reason: 'Test of the range',
    });

    expect((await grant(coordinator, grantMax())).userErrors).toEqual([]);
    const second = grantMax();
    const refused = await grant(coordinator, second);

    expect(refused).toEqual({
      transfer: null,
      replayed: false,
      userErrors: [
        { code: 'BALANCE_OUT_OF_RANGE', field: ['input', 'amount'], message: expect.any(String), originalCode: null },
      ],
    });
    for (const viewed of [
      await fetchAccount(fixture.as(account), account.id),
      await fetchAccount(coordinator, fixture.issuance.id),
    ]) {
      expect(servedAmounts(viewed).every((amount) => amount >= -BigInt(MAX_SAFE) && amount <= BigInt(MAX_SAFE))).toBe(
        true,
      );
    }
    expect((await fetchAccount(fixture.as(account), account.id)).balance).toBe(MAX_SAFE);
    expect((await grant(coordinator, second)).userErrors).toEqual([
      expect.objectContaining({ code: 'IDEMPOTENCY_KEY_ALREADY_FAILED', originalCode: 'BALANCE_OUT_OF_RANGE' }),
    ]);
  });

  describe('codes the system writes itself', () => {
    it("refuses a member's hold coded exchange_hold toward a co-member with RESERVED_CODE, and records nothing", async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      const [payer, payee] = fixture.members;
      const input = transferInput(payer.id, payee.id, '60', { pending: true, code: 'exchange_hold' });

      const payload = await pay(fixture.as(payer), input);

      expect(payload).toEqual({
        transfer: null,
        replayed: false,
        userErrors: [
          { code: 'RESERVED_CODE', field: ['input', 'code'], message: expect.any(String), originalCode: null },
        ],
      });
      expect(await rowsForKey(t, input.idempotencyKey)).toEqual({ transfers: 0, failures: 0 });
      expect((await fetchAccount(fixture.as(payer), payer.id)).pendingDebits).toBe('0');
    });

    it.each(['grant', 'starter_grant', 'reversal', 'expired', 'settlement', 'exchange_extra'])(
      'refuses the code %s from a client, in a batch too',
      async (code) => {
        const fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
        const [payer, payee] = fixture.members;

        expect(codesOf(await pay(fixture.as(payer), transferInput(payer.id, payee.id, '1', { code })))).toEqual([
          'RESERVED_CODE',
        ]);
        const { createTransfers } = await gql<{ createTransfers: { results: PayloadView[] } }>(
          fixture.as(payer),
          CREATE_TRANSFERS,
          {
            input: {
              mode: 'LINKED',
              transfers: [transferInput(payer.id, payee.id, '1'), transferInput(payer.id, payee.id, '1', { code })],
            },
          },
        );
        expect(createTransfers.results.map(codesOf)).toEqual([['LINKED_EVENT_FAILED'], ['RESERVED_CODE']]);
        expect((await fetchAccount(fixture.as(payer), payer.id)).balance).toBe('100');
      },
    );
  });

  it('answers a retry of a refused request with the refusal it first got (originalCode), and a different request under that key with nothing more', async () => {
    const fixture = await createLedgerFixture(t, [{ balance: 50n }, {}]);
    const [payer, payee] = fixture.members;
    const input = transferInput(payer.id, payee.id, '80');

    expect(codesOf(await pay(fixture.as(payer), input))).toEqual(['EXCEEDS_LOWER_LIMIT']);
    const retried = await pay(fixture.as(payer), input);
    const different = await pay(fixture.as(payer), { ...input, amount: '10' });

    expect(retried.userErrors).toEqual([
      {
        code: 'IDEMPOTENCY_KEY_ALREADY_FAILED',
        field: ['input', 'idempotencyKey'],
        message: expect.any(String),
        originalCode: 'EXCEEDS_LOWER_LIMIT',
      },
    ]);
    expect(different.userErrors).toEqual([
      expect.objectContaining({ code: 'IDEMPOTENCY_KEY_CONFLICT', originalCode: null }),
    ]);
  });

  describe('idempotency keys belong to their caller', () => {
    it('lets two members use the same key, each for their own payment', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 100n }]);
      const [alice, bob] = fixture.members;
      const idempotencyKey = newKey('shared');

      const fromAlice = await pay(fixture.as(alice), transferInput(alice.id, bob.id, '10', { idempotencyKey }));
      const fromBob = await pay(fixture.as(bob), transferInput(bob.id, alice.id, '30', { idempotencyKey }));

      expect([fromAlice.userErrors, fromBob.userErrors]).toEqual([[], []]);
      expect(fromBob).toMatchObject({
        replayed: false,
        transfer: { debitAccountId: globalId('Account', bob.id), amount: '30' },
      });
      expect((await fetchAccount(fixture.as(alice), alice.id)).balance).toBe('120');
    });
  });
});
