import { randomUUID } from 'node:crypto';
import { PgErrorCode, pgErrorCode } from '../../libs/database/pg-errors.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { made, rowsForKeys } from '../support/ledger-rows.js';
import { useTestApp } from '../support/test-app.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { PayerNotHolder } from '../../src/ledger/ledger.service.js';
import { Account } from '../../src/ledger/models/ledger.models.js';
import { truncateError } from './truncate-refusal.js';

/** Raised by the trigger that keeps a membership open while its account holds or reserves money. */
const MEMBERSHIP_NOT_SETTLED = 'PL003';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * What the database itself guards about identity and access, whatever SQL reaches it: the audit log
 * is append-only, a membership closes only on a settled account, and a membership's account is in
 * its own community's currency.
 */
describe('access guards in the database', () => {
  const t = useTestApp({ poolSize: 8, owner: true });

  const pay = (from: Account, to: Account, amount: bigint, extra: Partial<CreateTransferInput> = {}) =>
    t.ledger.createTransfer({
      idempotencyKey: `guard-${randomUUID()}`,
      debitAccountId: from.id,
      creditAccountId: to.id,
      amount,
      code: 'payment',
      memo: '',
      ...extra,
    });

  describe('the audit log', () => {
    let fixture: LedgerFixture;
    let entryId: string;
    const entry = async () =>
      (await t.dataSource.query('SELECT action, reason, details FROM audit_log WHERE id = $1', [entryId]))[0];

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, []);
      // Appending is what the log is for; the entry is this file's own, so nothing else depends on it.
      [{ id: entryId }] = await t.dataSource.query(
        `INSERT INTO audit_log (actor_member_id, actor_role, action, community_id, target_type, target_id, reason, details)
         VALUES ($1, 'coordinator', 'account.freeze', $2, 'account', $3, 'suspected fraud', '{"by": "test"}') RETURNING id`,
        [fixture.coordinator.memberId, fixture.community.id, fixture.coordinator.account.id],
      );
    });

    it.each([
      ["UPDATE audit_log SET reason = 'nothing happened' WHERE id = $1"],
      ["UPDATE audit_log SET details = '{}' WHERE id = $1"],
      ['DELETE FROM audit_log WHERE id = $1'],
    ])('refuses %s, leaving the entry as written', async (sql) => {
      await expect(t.dataSource.query(sql, [entryId])).rejects.toMatchObject({
        driverError: { code: PgErrorCode.historyIsAppendOnly },
      });
      expect(await entry()).toEqual({ action: 'account.freeze', reason: 'suspected fraud', details: { by: 'test' } });
    });

    it('refuses TRUNCATE', async () => {
      expect(pgErrorCode(await truncateError(t.dataSource, 'audit_log'))).toBe(PgErrorCode.historyIsAppendOnly);
      expect(await entry()).toMatchObject({ action: 'account.freeze' });
    });
  });

  describe('closing a membership', () => {
    let fixture: LedgerFixture;
    /** Members: in credit, in debit, settled, paying a hold, and receiving that hold. */
    let inCredit: Account, inDebit: Account, settled: Account, holding: Account, awaiting: Account;
    let holdId: string;

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [
        { balance: 30n },
        { lowerLimit: -50n },
        {},
        { lowerLimit: -50n },
        {},
        {},
      ]);
      let payee: Account;
      [inCredit, inDebit, payee, holding, awaiting, settled] = fixture.members;
      made(await pay(inDebit, payee, 20n));
      holdId = made(await pay(holding, awaiting, 15n, { pending: true })).id;
    });

    const holderOf = (account: Account) => fixture.holders.find((holder) => holder.account.id === account.id)!;
    /**
     * Closes the membership and its account in one statement, as the ledger's invariants want them
     * (and as the invariant check after each test looks at them).
     */
    const close = (account: Account) =>
      t.dataSource.query(
        `WITH closed AS (UPDATE memberships SET status = 'closed', closed_at = now() WHERE id = $1 RETURNING account_id)
         UPDATE accounts SET status = 'closed' FROM closed WHERE accounts.id = closed.account_id`,
        [holderOf(account).membershipId],
      );
    const statusOf = async (account: Account): Promise<string> =>
      (await t.dataSource.query('SELECT status FROM memberships WHERE id = $1', [holderOf(account).membershipId]))[0]
        .status;
    const money = async (account: Account) => {
      const { balance, pendingDebits, pendingCredits } = (await t.ledger.findAccount(account.id))!;
      return { balance, pendingDebits, pendingCredits };
    };

    it.each([
      ['a positive balance', () => inCredit, { balance: 30n, pendingDebits: 0n, pendingCredits: 0n }],
      ['a negative balance', () => inDebit, { balance: -20n, pendingDebits: 0n, pendingCredits: 0n }],
      ['only pending debits', () => holding, { balance: 0n, pendingDebits: 15n, pendingCredits: 0n }],
      ['only pending credits', () => awaiting, { balance: 0n, pendingDebits: 0n, pendingCredits: 15n }],
    ])('refuses to close one whose account has %s, keeping it active', async (_name, accountOf, expected) => {
      const account = accountOf();
      expect(await money(account)).toEqual(expected);

      await expect(close(account)).rejects.toMatchObject({ driverError: { code: MEMBERSHIP_NOT_SETTLED } });

      expect(await statusOf(account)).toBe('active');
    });

    it('closes one whose account is settled', async () => {
      await close(settled);
      expect(await statusOf(settled)).toBe('closed');
    });

    it('closes one once the hold that kept its account unsettled is voided', async () => {
      made(
        await t.ledger.voidPendingTransfer({
          idempotencyKey: `guard-${randomUUID()}`,
          pendingTransferId: holdId,
          memo: '',
        }),
      );
      await close(awaiting);
      expect(await statusOf(awaiting)).toBe('closed');
    });
  });

  describe("a membership's account", () => {
    let home: LedgerFixture;
    let other: LedgerFixture;
    let newcomerId: string;

    beforeAll(async () => {
      [home, other] = [await createLedgerFixture(t, [{}]), await createLedgerFixture(t, [])];
      newcomerId = (await t.members.createMember({
        email: `newcomer-${randomUUID().slice(0, 8)}@test.example`,
        displayName: 'Newcomer',
      }))!.id;
    });

    /** An account no membership holds yet, so that only the foreign keys can refuse it. */
    const freshAccount = (fixture: LedgerFixture) =>
      t.ledger.openMemberAccount({ currencyId: fixture.currency.id, name: 'Unheld' });
    const insertMembership = (communityId: string, currencyId: string, accountId: string) =>
      t.dataSource.query(
        `INSERT INTO memberships (member_id, community_id, currency_id, account_id, role, status) VALUES ($1, $2, $3, $4, 'member', 'pending') RETURNING id`,
        [newcomerId, communityId, currencyId, accountId],
      );
    /** The foreign key violated, named by the columns PostgreSQL reports. */
    const violates = (columns: string) => ({
      driverError: { code: FOREIGN_KEY_VIOLATION, detail: expect.stringContaining(`Key (${columns})=`) },
    });
    const membershipsOfNewcomer = async (): Promise<number> =>
      (await t.dataSource.query('SELECT count(*)::int AS n FROM memberships WHERE member_id = $1', [newcomerId]))[0].n;

    it("refuses a new membership on an account of another community's currency", async () => {
      const foreign = await freshAccount(other);
      await expect(insertMembership(home.community.id, home.currency.id, foreign.id)).rejects.toMatchObject(
        violates('account_id, currency_id'),
      );
      expect(await membershipsOfNewcomer()).toBe(0);
    });

    it("refuses a new membership that claims another community's currency for its own", async () => {
      const foreign = await freshAccount(other);
      await expect(insertMembership(home.community.id, other.currency.id, foreign.id)).rejects.toMatchObject(
        violates('currency_id, community_id'),
      );
      expect(await membershipsOfNewcomer()).toBe(0);
    });

    it("refuses moving a membership to an account of another community's currency", async () => {
      const [holder] = home.holders;
      const foreign = await freshAccount(other);
      const move = (assignments: string, ...values: string[]) =>
        t.dataSource.query(`UPDATE memberships SET ${assignments} WHERE id = $1`, [holder.membershipId, ...values]);

      await expect(move('account_id = $2', foreign.id)).rejects.toMatchObject(violates('account_id, currency_id'));
      await expect(move('account_id = $2, currency_id = $3', foreign.id, other.currency.id)).rejects.toMatchObject(
        violates('currency_id, community_id'),
      );

      const [row] = await t.dataSource.query(
        'SELECT account_id::text, currency_id::text FROM memberships WHERE id = $1',
        [holder.membershipId],
      );
      expect(row).toEqual({ account_id: holder.account.id, currency_id: home.currency.id });
    });

    it("accepts the same membership on an account of its own community's currency", async () => {
      const own = await freshAccount(home);
      await insertMembership(home.community.id, home.currency.id, own.id);
      expect(await membershipsOfNewcomer()).toBe(1);
    });
  });
  describe("a member's payment", () => {
    let fixture: LedgerFixture;
    let other: LedgerFixture;
    const rows = (key: string) => rowsForKeys(t.dataSource, [key]);
    const payAs = (memberId: string, withinCommunityId: string | null, key: string) =>
      t.ledger.createTransfer(
        {
          idempotencyKey: key,
          debitAccountId: fixture.members[0].id,
          creditAccountId: fixture.members[1].id,
          amount: 10n,
          code: 'payment',
          memo: '',
        },
        { payer: { memberId, withinCommunityId } },
      );

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{ balance: 100n }, {}]);
      other = await createLedgerFixture(t, [{}]);
    });

    it('is refused by the database itself unless the payer holds the debit account, recording nothing', async () => {
      for (const stranger of [fixture.holders[1].memberId, fixture.coordinator.memberId, other.holders[0].memberId]) {
        const key = `guard-${randomUUID()}`;
        await expect(payAs(stranger, null, key)).rejects.toBeInstanceOf(PayerNotHolder);
        expect(await rows(key)).toEqual({ transfers: 0, failures: 0 });
      }
      expect((await t.ledger.findAccount(fixture.members[0].id))!.balance).toBe(100n);
    });

    it("is refused through a partner app of another community, and while the payer's membership is not active", async () => {
      const holder = fixture.holders[0].memberId;
      await expect(payAs(holder, other.community.id, `guard-${randomUUID()}`)).rejects.toBeInstanceOf(PayerNotHolder);
      await t.dataSource.query(`UPDATE memberships SET status = 'suspended' WHERE id = $1`, [
        fixture.holders[0].membershipId,
      ]);
      try {
        await expect(payAs(holder, null, `guard-${randomUUID()}`)).rejects.toBeInstanceOf(PayerNotHolder);
      } finally {
        await t.dataSource.query(`UPDATE memberships SET status = 'active' WHERE id = $1`, [
          fixture.holders[0].membershipId,
        ]);
      }
      expect(made(await payAs(holder, fixture.community.id, `guard-${randomUUID()}`)).amount).toBe(10n);
    });
  });
});
