import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { chainEverything } from '../support/chain.js';
import { createLedgerFixture, FixtureMember } from '../support/ledger-fixture.js';
import { errorCodes, made } from '../support/ledger-rows.js';
import { asTablesOwner, startTestApp, TestApp, testDatabaseUrl } from '../support/test-app.js';
import { ExchangesService } from '../../src/exchanges/exchanges.service.js';
import { ExchangePayload } from '../../src/exchanges/models/exchange.models.js';
import { ExchangeRole } from '../../src/exchanges/models/exchange-enums.js';
import { CheckpointsService } from '../../src/integrity/checkpoints.service.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { checkLedgerInvariants, InvariantViolation, LEDGER_INVARIANTS } from '../../src/ledger/ledger.invariants.js';
import { Account, Posting, Transfer } from '../../src/ledger/models/ledger.models.js';

/**
 * The ledger's invariant check (LEDGER_INVARIANTS) must go red on the damage each of its checks
 * exists for, and name the offending rows. It builds a small sound ledger through the services in
 * this file's own database (every test file has one), and each case damages it as a superuser
 * could (triggers and foreign keys off, a constraint dropped where one would refuse), runs the
 * check, then puts the sound copy back, so that the cases are independent.
 */

/** The checks by what they guard. The last two are proposed, not in LEDGER_INVARIANTS yet: damage no check catches today. */
const CHECK = {
  postingsNetToZero: 'postings of each currency sum to zero',
  debitsEqualCredits: 'debits equal credits in each currency, posted and pending',
  accountsMatchPostings: 'each account equals the sum of its postings, with versions 1..n',
  balancesChain: 'each posting balance follows from the previous one',
  withinLimits: 'every account lies within its limits',
  transfersHaveTheirPostings:
    'each transfer has exactly its postings: a debit and a credit, or none while pending or voided',
  pendingMatchesOpenHolds: 'pending debits and credits equal the open pending transfers',
  resolutionsSettleOnePending: 'each resolution settles one pending transfer, within its amount',
  reversalsMirror: 'each reversal mirrors the posted transfer it reverses',
  keysSucceedOrFail: 'no idempotency key both succeeded and failed',
  membershipsSettled: 'each membership holds a member account, and a closed one left it closed and settled',
  exchangesAgreeWithHolds: "each exchange's hold agrees with its state: open while under way, settled once it ends",
  exchangeHoldsBelongToExchanges: 'every exchange hold belongs to its exchange',
  postingsBelongToTransfers: 'every posting belongs to a transfer',
  transfersWithinTheirCurrency: 'each transfer moves money between two accounts of its currency',
  chainedTransfersThere: 'every chained transfer is still there',
  chainedEntriesMatch: 'each chained entry still hashes to its transfer and postings',
  chainLinks: 'each link of the hash chain follows from the one before',
  chainHeads: 'each chain head is the last link of its chain',
  everythingChained: 'every transfer the chainer has passed is chained',
  checkpointsCommit: 'each checkpoint commits to its chain and to the checkpoint before',
  closedPeriodsHold: 'each closed period still holds the balances it closed on',
} as const;

type CheckName = (typeof CHECK)[keyof typeof CHECK];
type Row = Record<string, unknown>;
type Sql = (text: string, params?: unknown[]) => Promise<Row[]>;

/** What the services built: every id a tampering aims at. */
interface SoundLedger {
  currencyId: string;
  /** The currency of a second community, with no money of its own. */
  otherCurrencyId: string;
  pool: string;
  /** Member accounts: alice pays bob; carol has nothing; dora closed her membership. */
  alice: string;
  bob: string;
  dora: string;
  aliceMembership: string;
  doraMembership: string;
  payment: Transfer;
  paymentDebit: Posting;
  paymentCredit: Posting;
  /** bob pays alice back 5, after `payment` and before everything else on their accounts. */
  laterPayment: Transfer;
  reversed: Transfer;
  reversal: Transfer;
  /** Posted in part (15 of 20). */
  postedHold: Transfer;
  voidedHold: Transfer;
  voidOfHold: Transfer;
  openHold: Transfer;
  /** Exchanges where alice receives from bob: one accepted (hold open), one confirmed (hold posted), one cancelled (hold voided). */
  underWay: string;
  settled: string;
  cancelled: string;
}

interface Tampering {
  what: string;
  tamper: (sql: Sql, ledger: SoundLedger) => Promise<unknown>;
  /** Exactly the checks that must go red, each with rows (a few columns of each) that must be among its offenders. */
  caught: (ledger: SoundLedger) => Partial<Record<CheckName, Row[]>>;
}

/** The tables any tampering touches: copied once the ledger is sound, copied back after each case. */
const LEDGER_TABLES = [
  'accounts',
  'transfers',
  'postings',
  'transfer_failures',
  'memberships',
  'exchanges',
  'ledger_chain',
  'ledger_chain_heads',
  'ledger_checkpoints',
  'ledger_period_balances',
];
const PRISTINE_SCHEMA = 'pristine';

/** Constraints and unique indexes enforced even with triggers off, which some damage has to get rid of first (restored after the case). */
const CONSTRAINT = {
  withinLowerLimit: ['accounts', 'CHK_accounts_within_lower_limit'],
  withinUpperLimit: ['accounts', 'CHK_accounts_within_upper_limit'],
  onePendingResolution: ['transfers', 'UQ_transfers_pending_id'],
  oneReversal: ['transfers', 'UQ_transfers_reverses_id'],
} as const;
type ConstraintName = keyof typeof CONSTRAINT;

/** A transfer no service wrote, forged so that totals, versions and chained balances all agree with it: only what it means gives it away. */
interface ForgedTransfer {
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  kind: 'direct' | 'post_pending';
  pendingId?: string;
  reversesId?: string;
}

/** Appends a posted transfer as ledger_post would: both totals and versions move, and each posting chains from the last. */
async function forgePostedTransfer(sql: Sql, transfer: ForgedTransfer): Promise<void> {
  const [{ id }] = await sql(
    `INSERT INTO transfers (idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, kind, pending_id, reverses_id)
     SELECT 'forged ' || gen_random_uuid(), repeat('0', 64), currency_id, id, $2, $3, 'forged', $4, $5, $6 FROM accounts WHERE id = $1
     RETURNING id`,
    [
      transfer.debitAccountId,
      transfer.creditAccountId,
      String(transfer.amount),
      transfer.kind,
      transfer.pendingId ?? null,
      transfer.reversesId ?? null,
    ],
  );
  const sides = [
    [transfer.debitAccountId, 'posted_debits', -transfer.amount],
    [transfer.creditAccountId, 'posted_credits', transfer.amount],
  ] as const;
  for (const [accountId, total, amount] of sides) {
    await sql(
      `WITH moved AS (UPDATE accounts SET ${total} = ${total} + $2, version = version + 1 WHERE id = $1
                      RETURNING id, currency_id, posted_credits - posted_debits AS balance, version)
       INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version)
       SELECT $3, id, currency_id, $4, balance, version FROM moved`,
      [accountId, String(transfer.amount), id, String(amount)],
    );
  }
}

/** An id no row has. */
const NO_TRANSFER = '(SELECT max(id) + 1000 FROM transfers)';

const TAMPERINGS: Tampering[] = [
  {
    what: "a posting's amount altered",
    tamper: (sql, l) => sql('UPDATE postings SET amount = amount + 1 WHERE id = $1', [l.paymentCredit.id]),
    caught: (l) => ({
      [CHECK.postingsNetToZero]: [{ currency_id: l.currencyId, total: '1' }],
      [CHECK.accountsMatchPostings]: [{ id: l.bob }],
      [CHECK.balancesChain]: [{ id: l.paymentCredit.id }],
      [CHECK.transfersHaveTheirPostings]: [{ id: l.payment.id }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.payment.id }],
    }),
  },
  {
    what: "an account's stored posted_credits altered",
    tamper: (sql, l) => sql('UPDATE accounts SET posted_credits = posted_credits + 1 WHERE id = $1', [l.bob]),
    caught: (l) => ({
      [CHECK.debitsEqualCredits]: [{ currency_id: l.currencyId }],
      [CHECK.accountsMatchPostings]: [{ id: l.bob }],
    }),
  },
  {
    what: "a posting's balance_after altered",
    tamper: (sql, l) => sql('UPDATE postings SET balance_after = balance_after + 1 WHERE id = $1', [l.paymentDebit.id]),
    // The account's next posting no longer follows from it either.
    caught: (l) => ({
      [CHECK.balancesChain]: [
        { id: l.paymentDebit.id },
        { account_id: l.alice, account_version: String(l.paymentDebit.accountVersion + 1n) },
      ],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.payment.id }],
    }),
  },
  {
    what: 'a transfer deleted, its postings left orphaned',
    tamper: (sql, l) => sql('DELETE FROM transfers WHERE id = $1', [l.laterPayment.id]),
    // Caught by no check of LEDGER_INVARIANTS: the orphans still net to zero and still add up to their accounts.
    caught: (l) => ({
      [CHECK.postingsBelongToTransfers]: [
        { transfer_id: l.laterPayment.id, account_id: l.alice },
        { transfer_id: l.laterPayment.id, account_id: l.bob },
      ],
      [CHECK.chainedTransfersThere]: [{ transfer_id: l.laterPayment.id }],
    }),
  },
  {
    what: 'a transfer deleted together with its postings',
    tamper: async (sql, l) => {
      await sql('DELETE FROM postings WHERE transfer_id = $1', [l.laterPayment.id]);
      await sql('DELETE FROM transfers WHERE id = $1', [l.laterPayment.id]);
    },
    caught: (l) => ({
      [CHECK.accountsMatchPostings]: [{ id: l.alice }, { id: l.bob }],
      [CHECK.balancesChain]: [{ account_id: l.alice }, { account_id: l.bob }],
      [CHECK.chainedTransfersThere]: [{ transfer_id: l.laterPayment.id }],
    }),
  },
  {
    what: 'an open pending transfer deleted',
    tamper: (sql, l) => sql('DELETE FROM transfers WHERE id = $1', [l.openHold.id]),
    caught: (l) => ({
      [CHECK.pendingMatchesOpenHolds]: [
        { id: l.alice, open_debits: '8' },
        { id: l.bob, open_credits: '8' },
      ],
      [CHECK.chainedTransfersThere]: [{ transfer_id: l.openHold.id }],
    }),
  },
  {
    what: 'an account pushed below its lower limit',
    tamper: async (sql, l) => {
      await dropConstraint(sql, 'withinLowerLimit');
      await sql('UPDATE accounts SET lower_limit = posted_credits - posted_debits - pending_debits + 1 WHERE id = $1', [
        l.alice,
      ]);
    },
    caught: (l) => ({ [CHECK.withinLimits]: [{ id: l.alice }] }),
  },
  {
    what: 'an account pushed above its upper limit',
    tamper: async (sql, l) => {
      await dropConstraint(sql, 'withinUpperLimit');
      await sql(
        'UPDATE accounts SET upper_limit = posted_credits + pending_credits - posted_debits - 1 WHERE id = $1',
        [l.bob],
      );
    },
    caught: (l) => ({ [CHECK.withinLimits]: [{ id: l.bob }] }),
  },
  {
    what: 'pending_debits altered',
    tamper: (sql, l) => sql('UPDATE accounts SET pending_debits = pending_debits + 1 WHERE id = $1', [l.alice]),
    caught: (l) => ({
      [CHECK.debitsEqualCredits]: [{ currency_id: l.currencyId }],
      [CHECK.pendingMatchesOpenHolds]: [{ id: l.alice, pending_debits: '21', open_debits: '20' }],
    }),
  },
  {
    what: 'a void moved onto a posted transfer, reopening its hold',
    tamper: (sql, l) => sql('UPDATE transfers SET pending_id = $2 WHERE id = $1', [l.voidOfHold.id, l.payment.id]),
    caught: (l) => ({
      [CHECK.resolutionsSettleOnePending]: [{ id: l.voidOfHold.id, pending_id: l.payment.id, pending_kind: 'direct' }],
      [CHECK.pendingMatchesOpenHolds]: [{ id: l.bob, open_debits: '7' }, { id: l.alice }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.voidOfHold.id }],
    }),
  },
  {
    what: 'a second resolution of one pending transfer: posted twice',
    tamper: async (sql, l) => {
      await dropConstraint(sql, 'onePendingResolution');
      await forgePostedTransfer(sql, {
        kind: 'post_pending',
        pendingId: l.postedHold.id,
        debitAccountId: l.alice,
        creditAccountId: l.bob,
        amount: 15n,
      });
    },
    // Caught by no check of LEDGER_INVARIANTS: each post on its own lies within the hold.
    caught: (l) => ({ [CHECK.resolutionsSettleOnePending]: [{ pending_id: l.postedHold.id, kind: 'post_pending' }] }),
  },
  {
    what: 'a reversal pointed at another transfer',
    tamper: (sql, l) => sql('UPDATE transfers SET reverses_id = $2 WHERE id = $1', [l.reversal.id, l.payment.id]),
    caught: (l) => ({
      [CHECK.reversalsMirror]: [{ id: l.reversal.id, reverses_id: l.payment.id }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.reversal.id }],
    }),
  },
  {
    what: "a reversal's amount altered",
    tamper: (sql, l) => sql('UPDATE transfers SET amount = amount + 1 WHERE id = $1', [l.reversal.id]),
    caught: (l) => ({
      [CHECK.reversalsMirror]: [{ id: l.reversal.id }],
      [CHECK.transfersHaveTheirPostings]: [{ id: l.reversal.id }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.reversal.id }],
    }),
  },
  {
    what: 'a reversal pointed at no transfer',
    tamper: (sql, l) => sql(`UPDATE transfers SET reverses_id = ${NO_TRANSFER} WHERE id = $1`, [l.reversal.id]),
    // Caught by no check of LEDGER_INVARIANTS: with no original, every comparison is NULL.
    caught: (l) => ({
      [CHECK.reversalsMirror]: [{ id: l.reversal.id }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.reversal.id }],
    }),
  },
  {
    what: 'a transfer reversed twice',
    tamper: async (sql, l) => {
      await dropConstraint(sql, 'oneReversal');
      await forgePostedTransfer(sql, {
        kind: 'direct',
        reversesId: l.reversed.id,
        debitAccountId: l.bob,
        creditAccountId: l.alice,
        amount: l.reversed.amount,
      });
    },
    // Caught by no check of LEDGER_INVARIANTS: each reversal on its own mirrors the original.
    caught: (l) => ({ [CHECK.reversalsMirror]: [{ reverses_id: l.reversed.id }] }),
  },
  {
    what: 'an idempotency key both succeeded and failed',
    tamper: (sql, l) =>
      sql(
        "INSERT INTO transfer_failures (idempotency_scope, idempotency_key, request_hash, code) SELECT idempotency_scope, idempotency_key, repeat('0', 64), 'exceeds_lower_limit' FROM transfers WHERE id = $1",
        [l.payment.id],
      ),
    caught: (l) => ({ [CHECK.keysSucceedOrFail]: [{ idempotency_key: l.payment.idempotencyKey }] }),
  },
  {
    what: 'a membership closed with money on its account',
    tamper: (sql, l) =>
      sql("UPDATE memberships SET status = 'closed', closed_at = now() WHERE id = $1", [l.aliceMembership]),
    caught: (l) => ({
      [CHECK.membershipsSettled]: [{ id: l.aliceMembership, account_id: l.alice, account_status: 'open' }],
    }),
  },
  {
    what: "a closed membership's account reopened",
    tamper: (sql, l) => sql("UPDATE accounts SET status = 'open' WHERE id = $1", [l.dora]),
    caught: (l) => ({ [CHECK.membershipsSettled]: [{ id: l.doraMembership, account_id: l.dora, status: 'closed' }] }),
  },
  {
    what: 'a membership moved onto the pool account',
    tamper: (sql, l) => sql('UPDATE memberships SET account_id = $2 WHERE id = $1', [l.aliceMembership, l.pool]),
    caught: (l) => ({ [CHECK.membershipsSettled]: [{ id: l.aliceMembership, account_id: l.pool, kind: 'pool' }] }),
  },
  ...(
    [
      ['under way (hold open)', 'underWay', 'confirmed'],
      ['under way (hold open)', 'underWay', 'expired'],
      ['settled (hold posted)', 'settled', 'accepted'],
      ['settled (hold posted)', 'settled', 'disputed'],
      ['settled (hold posted)', 'settled', 'cancelled'],
      ['cancelled (hold voided)', 'cancelled', 'delivered'],
    ] as const
  ).map(([was, exchange, status]): Tampering => ({
    what: `an exchange ${was} marked ${status}`,
    tamper: (sql, l) => sql('UPDATE exchanges SET status = $2 WHERE id = $1', [l[exchange], status]),
    caught: (l) => ({ [CHECK.exchangesAgreeWithHolds]: [{ id: l[exchange], status }] }),
  })),
  {
    what: "an exchange's estimate altered away from its hold",
    tamper: (sql, l) => sql('UPDATE exchanges SET estimated_amount = estimated_amount + 1 WHERE id = $1', [l.underWay]),
    caught: (l) => ({ [CHECK.exchangesAgreeWithHolds]: [{ id: l.underWay, hold_amount: '8' }] }),
  },
  {
    what: 'an exchange pointed at no hold',
    tamper: (sql, l) => sql(`UPDATE exchanges SET hold_transfer_id = ${NO_TRANSFER} WHERE id = $1`, [l.underWay]),
    // Caught by no check of LEDGER_INVARIANTS: with no hold, every comparison is NULL. The hold it had is left with no exchange.
    caught: (l) => ({
      [CHECK.exchangesAgreeWithHolds]: [{ id: l.underWay }],
      [CHECK.exchangeHoldsBelongToExchanges]: [{ debit_account_id: l.alice, credit_account_id: l.bob, amount: '8' }],
    }),
  },
  {
    what: 'an exchange hold left open with no exchange (its exchange cancelled without releasing it)',
    tamper: (sql, l) =>
      sql("UPDATE exchanges SET status = 'cancelled', hold_transfer_id = NULL WHERE id = $1", [l.underWay]),
    // Nobody but an exchange may resolve its hold: this one would block its accounts for ever.
    caught: (l) => ({
      [CHECK.exchangeHoldsBelongToExchanges]: [{ debit_account_id: l.alice, credit_account_id: l.bob, amount: '8' }],
    }),
  },
  {
    what: 'a transfer relabelled with another currency',
    tamper: (sql, l) =>
      sql('UPDATE transfers SET currency_id = $2 WHERE id = $1', [l.laterPayment.id, l.otherCurrencyId]),
    // Caught by no check of LEDGER_INVARIANTS: none compares a transfer's currency with its accounts'.
    caught: (l) => ({
      [CHECK.transfersWithinTheirCurrency]: [{ id: l.laterPayment.id }],
      [CHECK.chainedEntriesMatch]: [{ transfer_id: l.laterPayment.id }],
    }),
  },
  {
    what: 'a memo rewritten, nothing else',
    tamper: (sql, l) => sql("UPDATE transfers SET memo = 'for nothing' WHERE id = $1", [l.payment.id]),
    // Only the chain sees it: the money is untouched.
    caught: (l) => ({ [CHECK.chainedEntriesMatch]: [{ transfer_id: l.payment.id }] }),
  },
  {
    what: 'a broken chain link: its hash altered',
    tamper: (sql, l) =>
      sql('UPDATE ledger_chain SET chain_hash = sha256(chain_hash) WHERE transfer_id = $1', [l.payment.id]),
    // The link itself no longer follows from the one before, and the next no longer follows from it.
    caught: (l) => ({ [CHECK.chainLinks]: [{ transfer_id: l.payment.id }, { transfer_id: l.laterPayment.id }] }),
  },
  {
    what: 'a chain link deleted',
    tamper: (sql, l) => sql('DELETE FROM ledger_chain WHERE transfer_id = $1', [l.laterPayment.id]),
    caught: (l) => ({
      [CHECK.chainLinks]: [{ currency_id: l.currencyId }],
      [CHECK.everythingChained]: [{ id: l.laterPayment.id }],
    }),
  },
  {
    what: 'a chain rewritten from a transfer on, hashes recomputed, past a checkpoint',
    tamper: async (sql, l) => {
      await sql("UPDATE transfers SET memo = 'rewritten' WHERE id = $1", [l.payment.id]);
      // Every link from the payment's on, recomputed in order as a forger would.
      const links = await sql(
        'SELECT position, salts FROM ledger_chain WHERE currency_id = $1 AND position >= (SELECT position FROM ledger_chain WHERE transfer_id = $2) ORDER BY position',
        [l.currencyId, l.payment.id],
      );
      for (const { position, salts } of links) {
        await sql(
          `WITH entry AS (SELECT sha256(convert_to(ledger_entry_text(t, $3, d, cr), 'UTF8')) AS hash
                            FROM ledger_chain c JOIN transfers t ON t.id = c.transfer_id
                            LEFT JOIN postings d ON d.transfer_id = t.id AND d.amount < 0
                            LEFT JOIN postings cr ON cr.transfer_id = t.id AND cr.amount > 0
                           WHERE c.currency_id = $1 AND c.position = $2)
           UPDATE ledger_chain c SET entry_hash = entry.hash,
                  chain_hash = sha256((SELECT p.chain_hash FROM ledger_chain p WHERE p.currency_id = c.currency_id AND p.position = c.position - 1) || entry.hash)
             FROM entry WHERE c.currency_id = $1 AND c.position = $2`,
          [l.currencyId, position, salts],
        );
      }
      await sql(
        'UPDATE ledger_chain_heads h SET chain_hash = c.chain_hash FROM ledger_chain c WHERE c.currency_id = h.currency_id AND c.position = h.position',
      );
    },
    // The chain is consistent again; the checkpoint, which members may have kept, is not.
    caught: (l) => ({ [CHECK.checkpointsCommit]: [{ currency_id: l.currencyId }] }),
  },
  {
    what: 'the chain head moved',
    tamper: (sql, l) =>
      sql('UPDATE ledger_chain_heads SET position = position - 1 WHERE currency_id = $1', [l.currencyId]),
    caught: (l) => ({ [CHECK.chainHeads]: [{ currency_id: l.currencyId }] }),
  },
  {
    what: "a checkpoint's Merkle root altered",
    tamper: (sql, l) =>
      sql('UPDATE ledger_checkpoints SET merkle_root = sha256(merkle_root) WHERE currency_id = $1', [l.currencyId]),
    caught: (l) => ({ [CHECK.checkpointsCommit]: [{ currency_id: l.currencyId, sequence: '1' }] }),
  },
  {
    what: "a closed period's recorded balance altered",
    tamper: (sql, l) => sql('UPDATE ledger_period_balances SET balance = balance + 1 WHERE account_id = $1', [l.alice]),
    caught: (l) => ({ [CHECK.closedPeriodsHold]: [{ account_id: l.alice, balance: '101', ledger_balance: '100' }] }),
  },
  {
    what: 'a transfer slipped into a closed period',
    tamper: async (sql, l) => {
      await forgePostedTransfer(sql, { kind: 'direct', debitAccountId: l.alice, creditAccountId: l.bob, amount: 1n });
      await sql("UPDATE postings SET created_at = '2000-01-01' WHERE transfer_id = (SELECT max(id) FROM transfers)");
    },
    caught: (l) => ({
      [CHECK.closedPeriodsHold]: [
        { account_id: l.alice, balance: '100', ledger_balance: '99' },
        { account_id: l.bob, balance: '50', ledger_balance: '51' },
      ],
    }),
  },
];

/** Constraints and indexes a case dropped, each with the statement that puts it back once the sound rows are. */
const droppedConstraints: { name: string; restore: string }[] = [];
async function dropConstraint(sql: Sql, constraint: ConstraintName): Promise<void> {
  const [table, name] = CONSTRAINT[constraint];
  // A constraint, or else a (partial) unique index, which is no constraint.
  const [{ definition, index }] = await sql(
    `SELECT (SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.conname = $1) AS definition,
            pg_get_indexdef(to_regclass(quote_ident($1))) AS index`,
    [name],
  );
  if (definition) {
    await sql(`ALTER TABLE ${table} DROP CONSTRAINT "${name}"`);
    droppedConstraints.push({ name, restore: `ALTER TABLE ${table} ADD CONSTRAINT "${name}" ${definition as string}` });
  } else {
    await sql(`DROP INDEX "${name}"`);
    droppedConstraints.push({ name, restore: index as string });
  }
}

const exchangeMade = (payload: ExchangePayload) => {
  expect(payload.userErrors).toEqual([]);
  return payload.exchange!;
};

/** A small ledger with every kind of history the checks read, all written by the services. */
async function buildSoundLedger(t: TestApp): Promise<SoundLedger> {
  const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 50n, upperLimit: 500n }, {}, {}]);
  const [alice, bob, carol, dora] = fixture.members;
  const [aliceHolder, bobHolder, , doraHolder] = fixture.holders;
  const [otherCurrency] = await t.ledger.currenciesOf((await createLedgerFixture(t, [])).community.id);
  // A closed period holding the fundings only: everything below happens after it.
  const [{ outcome }] = await t.dataSource.query(
    "SELECT * FROM ledger_close_period($1, clock_timestamp() - interval '1 millisecond', NULL, 'sound ledger')",
    [fixture.currency.id],
  );
  expect(outcome).toBe('closed');

  const key = (): string => `sound-${randomUUID()}`;
  const pay = async (from: Account, to: Account, amount: bigint, pending = false): Promise<Transfer> =>
    made(
      await t.ledger.createTransfer({
        idempotencyKey: key(),
        debitAccountId: from.id,
        creditAccountId: to.id,
        amount,
        pending,
        code: 'payment',
        memo: '',
      }),
    );
  const payment = await pay(alice, bob, 30n);
  const laterPayment = await pay(bob, alice, 5n);
  const reversed = await pay(alice, bob, 10n);
  const reversal = made(
    await t.ledger.reverseTransfer({ idempotencyKey: key(), transferId: reversed.id, memo: '', force: false }),
  );
  const postedHold = await pay(alice, bob, 20n, true);
  made(
    await t.ledger.postPendingTransfer({
      idempotencyKey: key(),
      pendingTransferId: postedHold.id,
      amount: 15n,
      memo: '',
    }),
  );
  const voidedHold = await pay(bob, alice, 7n, true);
  const voidOfHold = made(
    await t.ledger.voidPendingTransfer({ idempotencyKey: key(), pendingTransferId: voidedHold.id, memo: '' }),
  );
  const openHold = await pay(alice, bob, 12n, true);
  // A failed key too, so that the idempotency check has a failure it must not confuse with a success.
  const refused = await t.ledger.createTransfer({
    idempotencyKey: key(),
    debitAccountId: carol.id,
    creditAccountId: bob.id,
    amount: 1n,
    code: 'payment',
    memo: '',
  });
  expect(errorCodes(refused)).toEqual([TransferErrorCode.EXCEEDS_LOWER_LIMIT]);

  const exchanges = t.app.get(ExchangesService);
  const actorOf = (holder: FixtureMember) => t.identity.authenticate({ authorization: `Bearer ${holder.token}` });
  const [receiver, provider] = [await actorOf(aliceHolder), await actorOf(bobHolder)];
  const accepted = async (estimatedAmount: bigint) => {
    const proposed = exchangeMade(
      await exchanges.propose(receiver, {
        communityId: fixture.community.id,
        counterpartyId: bobHolder.memberId,
        role: ExchangeRole.RECEIVER,
        estimatedAmount,
        description: 'help',
      }),
    );
    return exchangeMade(await exchanges.accept(provider, { exchangeId: proposed.id })).id;
  };
  const underWay = await accepted(8n);
  const settled = await accepted(6n);
  exchangeMade(await exchanges.markDelivered(provider, { exchangeId: settled, actualAmount: 6n }));
  exchangeMade(await exchanges.confirm(receiver, { exchangeId: settled, approveAmountAboveHold: false }));
  const cancelled = await accepted(4n);
  exchangeMade(await exchanges.cancel(receiver, { exchangeId: cancelled }));

  const closing = await t.members.close(await actorOf(doraHolder), {
    membershipId: doraHolder.membershipId,
    settleToPool: false,
  });
  expect(closing.userErrors).toEqual([]);

  const paymentPostings = await t.ledger.postingsOfTransfer(payment.id);
  return {
    currencyId: fixture.currency.id,
    otherCurrencyId: otherCurrency.id,
    pool: fixture.pool.id,
    alice: alice.id,
    bob: bob.id,
    dora: dora.id,
    aliceMembership: aliceHolder.membershipId,
    doraMembership: doraHolder.membershipId,
    payment,
    paymentDebit: paymentPostings.find((posting) => posting.amount < 0n)!,
    paymentCredit: paymentPostings.find((posting) => posting.amount > 0n)!,
    laterPayment,
    reversed,
    reversal,
    postedHold,
    voidedHold,
    voidOfHold,
    openHold,
    underWay,
    settled,
    cancelled,
  };
}

/** Exactly these checks went red, and each lists the given rows among its offenders. */
function expectCaught(violations: InvariantViolation[], caught: Partial<Record<CheckName, Row[]>>): void {
  expect(violations.map((violation) => violation.check).sort()).toEqual(Object.keys(caught).sort());
  for (const { check, rows } of violations) {
    expect(rows).toEqual(
      expect.arrayContaining(caught[check as CheckName]!.map((row) => expect.objectContaining(row))),
    );
  }
}

describe('the ledger invariant check, on a scratch ledger damaged as a superuser could', () => {
  let app: TestApp | undefined;
  let superuser: pg.Client | undefined;
  let ledger: SoundLedger;

  /** Runs `work` in one transaction with triggers (append-only guards, deferred balance checks, foreign keys) switched off. */
  const asSuperuser = async (work: (sql: Sql) => Promise<unknown>): Promise<void> => {
    const client = superuser!;
    const sql: Sql = async (text, params) => (await client.query(text, params)).rows;
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL session_replication_role = replica');
      await work(sql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };

  beforeAll(async () => {
    app = await startTestApp(4, undefined, asTablesOwner());
    superuser = new pg.Client({ connectionString: testDatabaseUrl() });
    await superuser.connect();
    // The chain is built here, by hand (the chainer's timer is off): none takes in a forged transfer behind a case.
    ledger = await buildSoundLedger(app);
    await chainEverything(app.dataSource);
    expect(await app.app.get(CheckpointsService).recordDue(10)).toBe(1);
    await asSuperuser(async (sql) => {
      await sql(`CREATE SCHEMA ${PRISTINE_SCHEMA}`);
      for (const table of LEDGER_TABLES) await sql(`CREATE TABLE ${PRISTINE_SCHEMA}.${table} AS TABLE public.${table}`);
    });
  });

  afterEach(async () => {
    await asSuperuser(async (sql) => {
      for (const table of LEDGER_TABLES) {
        await sql(`DELETE FROM public.${table}`);
        await sql(`INSERT INTO public.${table} SELECT * FROM ${PRISTINE_SCHEMA}.${table}`);
      }
      for (const { name, restore } of droppedConstraints.splice(0)) {
        // A case that failed after dropping it rolled the drop back.
        const [{ present }] = await sql(
          'SELECT EXISTS (SELECT FROM pg_constraint WHERE conname = $1) OR to_regclass(quote_ident($1)) IS NOT NULL AS present',
          [name],
        );
        if (!present) await sql(restore);
      }
    });
    // Sound again, or the next case would see this one's damage.
    expect(await checkLedgerInvariants(app!.dataSource)).toEqual([]);
  });

  afterAll(async () => {
    await superuser?.end();
    await app?.close();
  });

  it('finds nothing wrong with the sound ledger the services wrote', async () => {
    expect(await checkLedgerInvariants(app!.dataSource)).toEqual([]);
  });

  it('has a tampering here that each of its checks must catch', () => {
    const exercised = new Set(TAMPERINGS.flatMap((tampering) => Object.keys(tampering.caught(ledger))));
    expect(Object.keys(LEDGER_INVARIANTS).filter((check) => !exercised.has(check))).toEqual([]);
  });

  it.each(TAMPERINGS)('catches $what', async ({ tamper, caught }) => {
    await asSuperuser((sql) => tamper(sql, ledger));
    expectCaught(await checkLedgerInvariants(app!.dataSource), caught(ledger));
  });
});
