import { chainEverything } from '../support/chain.js';
import { globalId, rowId } from '../support/global-ids.js';
import { LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { verifyStatementProof } from '../../src/integrity/proof-verifier.js';
import type { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { BatchMode } from '../../src/ledger/models/ledger-enums.js';
import {
  accept,
  confirm,
  deliver,
  exchangeCommunity,
  grant,
  offerService,
  Party,
  proposeOn,
  stepOk,
} from './exchange-client.js';
import { gql, newKey } from './graphql-client.js';
import { ActivityView, BucketView, communityStatistics, setProfileDistrict } from './insights-client.js';
import { recordCheckpoint, statementProof } from './integrity-client.js';
import { pendingMember, succeed } from './member-client.js';
import {
  accountStatement,
  balanceCsvRow,
  BalanceLineView,
  balanceReport,
  boundary,
  CurrencyReportView,
  exported,
  ledgerTransfers,
  millisecondBefore,
  statementCsvRow,
  StatementLineView,
  StatementView,
  transferCsvRow,
  trialBalance,
} from './report-client.js';

/**
 * Issue 6's agreement on one seeded community: thousands of payments, exchanges on listings of
 * several categories and districts, grants, levies, reversals, holds posted in part, voided and left
 * open, written in two phases between three instants t0 < t1 < t2 taken from the database's clock.
 * Over [t0, t1) and [t1, t2), every figure is read through its own API and compared with exact
 * bigints: statements, the balance report, the ledger's accounts and trial balance, the statistics,
 * the CSV exports, and statement proofs.
 */

const MEMBERS = 30;
const PAYMENTS_PER_PHASE = 1500;
const BATCH = 500;
const MEMOS = ['', 'garden work', 'lessons, two hours', 'moving "boxes"', '=1+1', 'line\nbreak'];
/** The profile district of member i is DISTRICTS[i % 5]: a payment not made on a listing with a district counts in its payee's. */
const DISTRICTS = ['Mapo', 'Jongno', 'Seongsu', null, null];
const DAY_MS = 86_400_000;
/** The transfer kinds that post money; holds (PENDING) and voids move none. */
const POSTED_KINDS = new Set(['DIRECT', 'POST_PENDING']);

/** A listing's category and district (null: none given): what the statistics attribute an exchange's payments to. */
interface Listed {
  category: string;
  district: string | null;
}

const LISTINGS: Listed[] = [
  { category: 'gardening', district: 'Seongsu' },
  { category: 'cooking', district: null },
  { category: 'teaching', district: 'Mapo' },
  { category: 'repairs', district: 'Jongno' },
  { category: 'transport', district: null },
];

type CsvRow = Record<string, string>;

interface Period {
  name: string;
  from?: Date;
  to: Date;
}

interface Statement {
  statement: StatementView;
  lines: StatementLineView[];
}

/** The figures of ExchangeActivity that can be derived from the transfers export, amounts as the API writes them. */
interface Exchanged {
  amountExchanged: string;
  reversedAmount: string;
  transferCount: number;
  byCategory: Record<string, string>;
  byDistrict: Record<string, string>;
}

const sum = (amounts: (string | bigint)[]): bigint =>
  amounts.reduce<bigint>((total, amount) => total + BigInt(amount), 0n);
const add = (totals: Map<string, bigint>, key: string, amount: bigint): Map<string, bigint> =>
  totals.set(key, (totals.get(key) ?? 0n) + amount);
const asRecord = (totals: Map<string, bigint>): Record<string, string> =>
  Object.fromEntries([...totals].map(([key, amount]) => [key, amount.toString()]));
/** A breakdown keyed by its category or district, null written "null" (no slug or district is that word here). */
const breakdown = <K extends string>(
  parts: ({ amount: string } & Record<K, string | null>)[],
  key: K,
): Record<string, string> => Object.fromEntries(parts.map((part) => [String(part[key]), part.amount]));
const isLargestFirst = (parts: { amount: string }[]): boolean =>
  parts.every((part, index) => index === 0 || BigInt(parts[index - 1].amount) >= BigInt(part.amount));

/** Reads a value once, on first use, for the tests that share it. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

const ACCOUNT_AT = `query AccountAt($id: ID!, $t0: DateTime!, $t1: DateTime!) {
  account(id: $id) { balance postedDebits postedCredits version atT0: balanceAt(at: $t0) atT1: balanceAt(at: $t1) }
}`;
const HOLD_RESOLUTION = 'query Hold($id: ID!) { transfer(id: $id) { resolution { id kind amount } } }';
const NEWEST_TRANSFERS =
  'query Newest($id: ID!) { transfers(accountId: $id, first: 5) { edges { node { id code amount } } } }';

describe('agreement of statements, balance reports, the trial balance, statistics and exports on one community with thousands of transfers', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let parties: Party[];
  let coordinator: GraphqlClient;
  let communityId: string;
  /** Every account that pays and is paid at random: the members and the coordinator (database ids, for the ledger service). */
  let traders: string[];
  let applicant: { accountId: string };
  let t0: Date, t1: Date, t2: Date;
  /** Each exchange payment (posted hold or payment above it), by database transfer id (as exports write it), with the listing it paid for. */
  const exchangePayments = new Map<string, Listed>();
  /** Member accounts (database ids, as exports write them) whose holder's profile names a district. */
  const profileDistrict = new Map<string, string>();
  let seed = 20_261_206;
  const random = (below: number): number => (seed = (seed * 48_271) % 2_147_483_647) % below;

  const randomPayments = (count: number): CreateTransferInput[] =>
    Array.from({ length: count }, () => {
      const payer = random(traders.length);
      const payee = (payer + 1 + random(traders.length - 1)) % traders.length;
      return {
        idempotencyKey: newKey('agree'),
        debitAccountId: traders[payer],
        creditAccountId: traders[payee],
        amount: BigInt(1 + random(300)),
        code: 'payment',
        memo: MEMOS[random(MEMOS.length)],
      };
    });

  const transfer = async (
    debitAccountId: string,
    creditAccountId: string,
    amount: bigint,
    extra: Partial<CreateTransferInput> = {},
  ): Promise<string> => {
    // The ledger service takes and gives database ids; the test holds the ids the API gives.
    const result = await t.ledger.createTransfer({
      idempotencyKey: newKey('agree'),
      debitAccountId: rowId(debitAccountId),
      creditAccountId: rowId(creditAccountId),
      amount,
      code: 'payment',
      memo: '',
      ...extra,
    });
    expect(result.userErrors).toEqual([]);
    return globalId('Transfer', result.transfer!.id);
  };

  const reverse = async (transferId: string): Promise<void> => {
    expect(
      (
        await t.ledger.reverseTransfer({
          idempotencyKey: newKey('undo'),
          transferId: rowId(transferId),
          memo: 'a mistake',
          force: false,
        })
      ).userErrors,
    ).toEqual([]);
  };

  /**
   * An exchange on a fresh listing of the provider, delivered at `actual` and then confirmed by the
   * receiver, or disputed and settled in part by the coordinator. Records its payments: the posted
   * hold, and the payment above the estimate when there is one. Returns their ids.
   */
  const exchange = async (
    receiver: Party,
    provider: Party,
    listed: Listed,
    estimate: number,
    actual: number,
    settle: 'confirm' | 'dispute' = 'confirm',
  ): Promise<string[]> => {
    const listing = await offerService(provider, communityId, {
      category: listed.category,
      title: `Help with ${listed.category}`,
      ...(listed.district ? { district: listed.district } : {}),
    });
    const proposed = await proposeOn(receiver, listing.id, estimate);
    const accepted = await accept(provider, proposed.id);
    await deliver(provider, proposed.id, actual);
    if (settle === 'confirm') await confirm(receiver, proposed.id, actual > estimate);
    else {
      await stepOk(receiver.client, 'disputeExchange', { exchangeId: proposed.id, reason: 'Took less time than that' });
      await stepOk(coordinator, 'resolveExchangeDispute', {
        exchangeId: proposed.id,
        outcome: 'POST_PART',
        amount: String(actual),
        reason: 'Heard both sides',
      });
    }
    const { transfer: hold } = await gql<{ transfer: { resolution: { id: string; kind: string; amount: string } } }>(
      receiver.client,
      HOLD_RESOLUTION,
      { id: accepted.holdTransferId },
    );
    expect(hold.resolution).toMatchObject({ kind: 'POST_PENDING', amount: String(Math.min(actual, estimate)) });
    const payments = [hold.resolution.id];
    if (actual > estimate) {
      const { transfers } = await gql<{
        transfers: { edges: { node: { id: string; code: string; amount: string } }[] };
      }>(receiver.client, NEWEST_TRANSFERS, { id: receiver.accountId });
      const extra = transfers.edges.map((edge) => edge.node).find((node) => node.code === 'exchange_extra')!;
      expect(extra.amount).toBe(String(actual - estimate));
      payments.push(extra.id);
    }
    for (const payment of payments) exchangePayments.set(rowId(payment), listed);
    return payments;
  };

  /** A phase: exchanges, thousands of payments, grants, levies, holds and reversals. Returns a few payments to reverse later. */
  const writePhase = async (phase: 1 | 2, undoLater: string[]): Promise<string[]> => {
    const party = (index: number): Party => parties[(index + 11 * phase) % MEMBERS];
    const exchanged = [
      ...(await exchange(party(0), party(1), LISTINGS[(phase + 0) % LISTINGS.length], 120, 120)),
      ...(await exchange(party(2), party(3), LISTINGS[(phase + 1) % LISTINGS.length], 120, 90)),
      ...(await exchange(party(4), party(5), LISTINGS[(phase + 2) % LISTINGS.length], 60, 100)),
      ...(await exchange(party(6), party(7), LISTINGS[(phase + 3) % LISTINGS.length], 180, 150, 'dispute')),
      ...(await exchange(party(8), party(9), LISTINGS[(phase + 4) % LISTINGS.length], 30, 30)),
    ];
    // An exchange accepted and then cancelled: its hold is voided.
    const cancelled = await accept(
      party(11),
      (await proposeOn(party(10), (await offerService(party(11), communityId, { category: 'care' })).id, 45)).id,
    );
    await stepOk(party(10).client, 'cancelExchange', { exchangeId: cancelled.id });

    const payments: string[] = [];
    for (let written = 0; written < PAYMENTS_PER_PHASE; written += BATCH) {
      const { results } = await t.ledger.createTransfers({
        mode: BatchMode.INDEPENDENT,
        transfers: randomPayments(BATCH),
      });
      expect(results.filter((result) => result.userErrors.length > 0)).toEqual([]);
      payments.push(...results.map((result) => globalId('Transfer', result.transfer!.id)));
    }

    // New money and levies: money moves, but no exchange.
    await grant(fixture, party(12), 300);
    const granted = await transfer(fixture.issuance.id, party(13).accountId, 240n, { code: 'grant' });
    const levies = [
      await transfer(party(14).accountId, fixture.pool.id, 200n, { code: 'levy' }),
      await transfer(party(15).accountId, fixture.pool.id, 200n, { code: 'levy' }),
    ];
    await succeed(coordinator, 'grantCredits', {
      accountId: party(16).accountId,
      amount: '100',
      idempotencyKey: newKey('grant'),
      source: 'POOL',
      reason: 'pool grant',
    });

    // A hold posted in part, and one voided.
    const held = await transfer(party(17).accountId, party(18).accountId, 90n, { pending: true, memo: 'hold' });
    expect(
      (
        await t.ledger.postPendingTransfer({
          idempotencyKey: newKey('post'),
          pendingTransferId: rowId(held),
          amount: 60n,
          memo: 'posted in part',
        })
      ).userErrors,
    ).toEqual([]);
    const voided = await transfer(party(19).accountId, party(20).accountId, 40n, { pending: true, memo: 'hold' });
    expect(
      (
        await t.ledger.voidPendingTransfer({
          idempotencyKey: newKey('void'),
          pendingTransferId: rowId(voided),
          memo: 'not needed',
        })
      ).userErrors,
    ).toEqual([]);

    // Reversals: of this phase's payments and a grant, and of whatever the phase before left to undo.
    for (const transferId of [payments[7], payments[777], granted, ...undoLater]) await reverse(transferId);
    // The first exchange's payment, and the payment above an estimate (exchanges 1 and 2 pay once, exchange 3 twice).
    return [payments[42], exchanged[0], exchanged[3], levies[0]];
  };

  beforeAll(async () => {
    // A third start with nothing, so that some go into debt: money in members' hands is then less than their net balance.
    ({ fixture, parties } = await exchangeCommunity(
      t,
      Array.from({ length: MEMBERS }, (_, index) => ({
        balance: index % 3 === 0 ? 0n : 5_000n,
        lowerLimit: -1_000_000n,
      })),
    ));
    coordinator = fixture.asCoordinator();
    communityId = globalId('Community', fixture.community.id);
    expect((await t.ledger.setAccountLimits(fixture.coordinator.account.id, -1_000_000n, null)).refusal).toBeFalsy();
    traders = [...parties.map((party) => rowId(party.accountId)), fixture.coordinator.account.id];
    for (const [index, party] of parties.entries()) {
      const district = DISTRICTS[index % DISTRICTS.length];
      if (!district) continue;
      await setProfileDistrict(party.client, district);
      profileDistrict.set(rowId(party.accountId), district);
    }

    t0 = await boundary(t);
    const undo = await writePhase(1, []);
    // One exchange of phase 1 is reversed in phase 2 by the coordinator, through the API.
    const [reversedExchange] = undo.splice(1, 1);
    t1 = await boundary(t);
    await succeed(coordinator, 'reverseTransfer', {
      idempotencyKey: newKey('undo'),
      transferId: reversedExchange,
      reason: 'never happened',
    });
    const joining = await pendingMember(t, fixture);
    await succeed(coordinator, 'approveMembership', { membershipId: joining.membership.id });
    applicant = { accountId: joining.membership.accountId };
    await transfer(parties[0].accountId, applicant.accountId, 75n, { memo: 'welcome' });
    await writePhase(2, undo);
    // Still open at the end: a hold, and an accepted exchange's hold; neither counts anywhere yet.
    await transfer(parties[21].accountId, parties[22].accountId, 55n, { pending: true, memo: 'open hold' });
    await accept(
      parties[23],
      (await proposeOn(parties[24], (await offerService(parties[23], communityId, { category: 'arts' })).id, 35)).id,
    );
    t2 = await boundary(t);
  });

  const periods = (): Period[] => [
    { name: 'before t0', to: t0 },
    { name: '[t0, t1)', from: t0, to: t1 },
    { name: '[t1, t2)', from: t1, to: t2 },
  ];

  /** The balance report as of the millisecond before `instant`: the postings before it, as a statement ending at `instant` counts them. */
  const reportBefore = (instant: Date) => balanceReport(coordinator, communityId, millisecondBefore(instant));
  const reports = once(() => Promise.all([t0, t1, t2].map(reportBefore)));
  const balanceIn = (report: { lines: BalanceLineView[] }, accountId: string): string => {
    const line = report.lines.find((candidate) => candidate.accountId === accountId);
    // The report also lists accounts opened after its instant, with nothing; were it to leave them out, they still had nothing then.
    return line?.balance ?? '0';
  };
  /** Member accounts, as the balance report tells them: those held by a member. */
  const memberAccounts = once(
    async () =>
      new Map(
        (await reports())[2].lines
          .filter((line) => line.memberId !== null)
          .map((line) => [line.accountId, line.memberId!]),
      ),
  );
  /** Every account's statement for each period (periods() order), read in full through GraphQL. */
  const statements = once(async () => {
    const accounts = (await reports())[2].lines.map((line) => line.accountId);
    return Promise.all(
      periods().map(async (period) => {
        const read = new Map<string, Statement>();
        for (const accountId of accounts) read.set(accountId, await accountStatement(coordinator, accountId, period));
        return read;
      }),
    );
  });
  const transfersExport = (period: { from?: Date; to: Date }): Promise<CsvRow[]> =>
    exported(coordinator, {
      communityId,
      kind: 'TRANSFERS',
      from: period.from?.toISOString(),
      to: period.to.toISOString(),
    });
  const transfersCsv = once(() => Promise.all(periods().map(transfersExport)));

  it('is seeded as the agreement needs: thousands of payments, exchanges in every category, reversals across t1, holds posted in part, voided and left open', async () => {
    const [, first, second] = await transfersCsv();
    const kinds = (rows: CsvRow[]) => new Set(rows.map((row) => row.kind));
    for (const rows of [first, second]) {
      expect(rows.length).toBeGreaterThan(PAYMENTS_PER_PHASE);
      expect(kinds(rows)).toEqual(new Set(['DIRECT', 'PENDING', 'POST_PENDING', 'VOID_PENDING']));
      expect(rows.filter((row) => row.reverses_transfer_id !== '').length).toBeGreaterThanOrEqual(3);
    }
    const firstIds = new Set(first.map((row) => row.transfer_id));
    expect(second.filter((row) => firstIds.has(row.reverses_transfer_id)).length).toBeGreaterThanOrEqual(4);
    expect(new Set([...exchangePayments.values()].map((listed) => listed.category)).size).toBe(LISTINGS.length);
  });

  it("chains every account's statements period to period; each closing balance is the balance report's and the ledger's own balance at that instant", async () => {
    const [atT0, atT1, atT2] = await reports();
    const ends = [atT0, atT1, atT2];
    const read = await statements();
    for (const line of atT2.lines) {
      const { account } = await gql<{ account: Record<string, string> }>(coordinator, ACCOUNT_AT, {
        id: line.accountId,
        t0: millisecondBefore(t0).toISOString(),
        t1: millisecondBefore(t1).toISOString(),
      });
      let running = 0n;
      let version = 0n;
      const broken: string[] = [];
      const figures = periods().map((period, index) => {
        const { statement, lines } = read[index].get(line.accountId)!;
        for (const posting of lines) {
          running += BigInt(posting.amount);
          version += 1n;
          if (posting.balanceAfter !== running.toString() || posting.accountVersion !== version.toString())
            broken.push(`${period.name}: posting ${posting.postingId}`);
        }
        return {
          actual: {
            opening: statement.openingBalance,
            closing: statement.closingBalance,
            debits: statement.debits,
            credits: statement.credits,
            lineCount: statement.lineCount,
          },
          expected: {
            opening: index === 0 ? '0' : balanceIn(ends[index - 1], line.accountId),
            closing: balanceIn(ends[index], line.accountId),
            debits: (-sum(
              lines.filter((posting) => posting.amount.startsWith('-')).map((posting) => posting.amount),
            )).toString(),
            credits: sum(
              lines.filter((posting) => !posting.amount.startsWith('-')).map((posting) => posting.amount),
            ).toString(),
            lineCount: lines.length,
          },
          // closing = opening + the sum of the lines, from the lines themselves.
          openingPlusLines: (BigInt(statement.openingBalance) + sum(lines.map((posting) => posting.amount))).toString(),
        };
      });
      expect({
        account: line.accountId,
        periods: figures.map((figure) => [figure.actual, figure.openingPlusLines]),
        broken,
        ledger: account,
      }).toEqual({
        account: line.accountId,
        periods: figures.map((figure) => [figure.expected, figure.expected.closing]),
        broken: [],
        ledger: {
          balance: line.balance,
          postedDebits: line.debits,
          postedCredits: line.credits,
          version: version.toString(),
          atT0: balanceIn(atT0, line.accountId),
          atT1: balanceIn(atT1, line.accountId),
        },
      });
    }
  });

  it('puts each posting of a period on one statement line, one side of a posted transfer that the transfers export lists for the same period', async () => {
    const read = await statements();
    const csv = await transfersCsv();
    for (const [index, period] of periods().entries()) {
      const posted = new Map(
        csv[index].filter((row) => POSTED_KINDS.has(row.kind)).map((row) => [row.transfer_id, row]),
      );
      const mismatched: string[] = [];
      let lines = 0;
      for (const [accountId, { lines: postings }] of read[index]) {
        for (const posting of postings) {
          lines += 1;
          // Exports write database ids; statements give the API's.
          const row = posted.get(rowId(posting.transferId));
          const account = rowId(accountId);
          const side =
            row?.credit_account_id === account
              ? { amount: row.amount, counterparty: row.debit_account_id }
              : { amount: `-${row?.amount}`, counterparty: row?.credit_account_id };
          if (
            !row ||
            (row.debit_account_id !== account && row.credit_account_id !== account) ||
            posting.amount !== side.amount ||
            (posting.counterpartyAccountId && rowId(posting.counterpartyAccountId)) !== side.counterparty ||
            posting.transferKind !== row.kind ||
            posting.code !== row.code ||
            posting.createdAt !== row.created_at
          )
            mismatched.push(`${accountId}: posting ${posting.postingId}`);
        }
      }
      expect({ period: period.name, mismatched, lines }).toEqual({
        period: period.name,
        mismatched: [],
        lines: 2 * posted.size,
      });
    }
  });

  it("balances: the balance report's totals add up, debits equal credits, and at the end they are the ledger's own trial balance", async () => {
    const [, atT1, atT2] = await reports();
    for (const { report, lines } of [atT1, atT2]) {
      const kinds = [...new Set(lines.map((line) => line.kind))];
      expect(report).toMatchObject({
        accountCount: lines.length,
        totalDebits: sum(lines.map((line) => line.debits)).toString(),
        totalCredits: sum(lines.map((line) => line.credits)).toString(),
        totalBalance: '0',
        balanced: true,
      });
      expect(sum(lines.map((line) => line.balance))).toBe(0n);
      expect(report.totalDebits).toBe(report.totalCredits);
      const byKind = (kind: string) => {
        const balances = lines.filter((line) => line.kind === kind).map((line) => BigInt(line.balance));
        return {
          kind,
          accountCount: balances.length,
          debits: sum(lines.filter((line) => line.kind === kind).map((line) => line.debits)).toString(),
          credits: sum(lines.filter((line) => line.kind === kind).map((line) => line.credits)).toString(),
          balance: sum(balances).toString(),
          positiveBalances: sum(balances.filter((balance) => balance > 0n)).toString(),
          negativeBalances: sum(balances.filter((balance) => balance < 0n)).toString(),
          accountsInDebt: balances.filter((balance) => balance < 0n).length,
        };
      };
      expect(report.byKind.filter((kind) => kind.accountCount > 0)).toEqual(expect.arrayContaining(kinds.map(byKind)));
      expect(report.byKind.filter((kind) => kind.accountCount > 0)).toHaveLength(kinds.length);
    }
    expect(BigInt(atT2.report.totalDebits)).toBeGreaterThan(BigInt(atT1.report.totalDebits));

    const ledger = await trialBalance(coordinator, globalId('Currency', fixture.currency.id));
    expect({ total: ledger.total, balanced: ledger.balanced }).toEqual({ total: '0', balanced: true });
    const asTrialLines = (report: CurrencyReportView) =>
      report.byKind
        .filter((kind) => kind.accountCount > 0)
        .map((kind) => ({
          kind: kind.kind,
          accountCount: kind.accountCount,
          postedDebits: kind.debits,
          postedCredits: kind.credits,
          balance: kind.balance,
        }));
    const byKindName = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind);
    expect([...ledger.lines].sort(byKindName)).toEqual(asTrialLines(atT2.report).sort(byKindName));
    // Nothing moved since t2: the report as of now is the report as of t2.
    expect((await balanceReport(coordinator, communityId)).lines).toEqual(atT2.lines);
  });

  /**
   * The statistics as their field descriptions define them, worked out from the transfers export:
   * the posted transfers (DIRECT and POST_PENDING) from one member account to another, reversals
   * negative; by the category and district of the listing of the exchange paid for (for a reversal,
   * of the payment it reverses), else null and the payee's profile district.
   */
  const exchangedPerDefinition = async (rows: CsvRow[]): Promise<Exchanged> => {
    const members = await memberAccounts();
    const counted = rows.filter(
      (row) =>
        POSTED_KINDS.has(row.kind) &&
        members.has(globalId('Account', row.debit_account_id)) &&
        members.has(globalId('Account', row.credit_account_id)),
    );
    const byCategory = new Map<string, bigint>();
    const byDistrict = new Map<string, bigint>();
    let reversed = 0n;
    for (const row of counted) {
      const reversal = row.reverses_transfer_id !== '';
      const amount = reversal ? -BigInt(row.amount) : BigInt(row.amount);
      if (reversal) reversed += BigInt(row.amount);
      const listed = exchangePayments.get(reversal ? row.reverses_transfer_id : row.transfer_id);
      const payee = reversal ? row.debit_account_id : row.credit_account_id;
      add(byCategory, String(listed?.category ?? null), amount);
      add(byDistrict, String(listed?.district ?? profileDistrict.get(payee) ?? null), amount);
    }
    return {
      amountExchanged: sum([...byCategory.values()]).toString(),
      reversedAmount: reversed.toString(),
      transferCount: counted.length,
      byCategory: asRecord(byCategory),
      byDistrict: asRecord(byDistrict),
    };
  };
  const reportedExchanged = (activity: ActivityView): Exchanged => ({
    amountExchanged: activity.amountExchanged,
    reversedAmount: activity.reversedAmount,
    transferCount: activity.transferCount,
    byCategory: breakdown(activity.byCategory, 'category'),
    byDistrict: breakdown(activity.byDistrict, 'district'),
  });
  /**
   * activeMembers as documented ("distinct members with any posting on a member account of theirs"):
   * the members whose member account has a statement line in any of these periods.
   */
  const activeMembers = async (periodIndexes: number[]): Promise<number> => {
    const members = await memberAccounts();
    const read = await statements();
    return new Set(
      periodIndexes.flatMap((index) =>
        [...read[index]]
          .filter(([accountId, { lines }]) => members.has(accountId) && lines.length > 0)
          .map(([accountId]) => members.get(accountId)),
      ),
    ).size;
  };
  /** Money in members' hands: the positive balances of member accounts in a balance report. */
  const moneyInMembersHands = async (report: { lines: BalanceLineView[] }): Promise<string> => {
    const members = await memberAccounts();
    return sum(
      report.lines
        .filter((line) => members.has(line.accountId))
        .map((line) => BigInt(line.balance))
        .filter((balance) => balance > 0n),
    ).toString();
  };

  it('counts in the statistics what the transfers export, the statements and the balance report hold, as the statistics define it', async () => {
    const [, atT1, atT2] = await reports();
    const [, firstRows, secondRows] = await transfersCsv();
    const [first, second] = await Promise.all([
      communityStatistics(coordinator, { communityId, from: t0, to: t1, interval: 'DAY' }),
      communityStatistics(coordinator, { communityId, from: t1, to: t2, interval: 'DAY' }),
    ]);
    const cases: [BucketView, CsvRow[], number, typeof atT2, number][] = [
      [first.buckets[0], firstRows, 1, atT1, 0],
      [second.buckets[0], secondRows, 2, atT2, 1],
    ];
    for (const [bucket, rows, periodIndex, atEnd, newMembers] of cases) {
      const expected = await exchangedPerDefinition(rows);
      expect(reportedExchanged(bucket)).toEqual(expected);
      expect({
        activeMembers: bucket.activeMembers,
        newMembers: bucket.newMembers,
        moneyInMembersHands: bucket.moneyInMembersHands,
      }).toEqual({
        activeMembers: await activeMembers([periodIndex]),
        newMembers,
        moneyInMembersHands: await moneyInMembersHands(atEnd),
      });
      // The breakdowns sum exactly to the amount, largest first.
      expect([
        sum(bucket.byCategory.map((part) => part.amount)),
        sum(bucket.byDistrict.map((part) => part.amount)),
      ]).toEqual([BigInt(bucket.amountExchanged), BigInt(bucket.amountExchanged)]);
      expect([isLargestFirst(bucket.byCategory), isLargestFirst(bucket.byDistrict)]).toEqual([true, true]);
      expect(bucket.velocity).toBeCloseTo(Number(bucket.amountExchanged) / Number(bucket.moneyInMembersHands), 12);
      // Money in members' hands is the members' positive balances the report sums by kind (the coordinator's account is a member's too).
      expect(bucket.moneyInMembersHands).toBe(
        atEnd.report.byKind.find((kind) => kind.kind === 'MEMBER')!.positiveBalances,
      );
    }
    // Not a vacuous agreement: every category traded, reversals counted, every member active, and members in debt (so hands < net balance).
    expect(Object.keys(reportedExchanged(first.buckets[0]).byCategory)).toEqual(
      expect.arrayContaining([...LISTINGS.map((listed) => listed.category), 'null']),
    );
    expect(BigInt(second.buckets[0].reversedAmount)).toBeGreaterThan(0n);
    expect(second.buckets[0].activeMembers).toBe(MEMBERS + 2);
    for (const { report } of [atT1, atT2]) {
      const members = report.byKind.find((kind) => kind.kind === 'MEMBER')!;
      expect({
        inDebt: members.accountsInDebt > 0,
        handsBelowNet: BigInt(members.positiveBalances) > BigInt(members.balance),
      }).toEqual({ inDebt: true, handsBelowNet: true });
    }

    // A daily series whose second bucket is [t1, t2): its first holds the community's whole history before t1.
    const series = await communityStatistics(coordinator, {
      communityId,
      from: new Date(t1.getTime() - DAY_MS),
      to: t2,
      interval: 'DAY',
    });
    const [history, latest] = series.buckets;
    const { start: _start, end: _end, ...latestFigures } = latest;
    const { start: _from, end: _to, ...secondFigures } = second.buckets[0];
    expect(latestFigures).toEqual(secondFigures);
    expect(reportedExchanged(history)).toEqual(await exchangedPerDefinition(await transfersExport({ to: t1 })));
    expect({
      activeMembers: history.activeMembers,
      newMembers: history.newMembers,
      moneyInMembersHands: history.moneyInMembersHands,
    }).toEqual({
      activeMembers: await activeMembers([0, 1]),
      newMembers: MEMBERS + 1,
      moneyInMembersHands: await moneyInMembersHands(atT1),
    });
    expect(series.total).toMatchObject({
      amountExchanged: (BigInt(history.amountExchanged) + BigInt(latest.amountExchanged)).toString(),
      transferCount: history.transferCount + latest.transferCount,
      newMembers: MEMBERS + 2,
      activeMembers: await activeMembers([0, 1, 2]),
    });
  });

  it('exports the same rows as the GraphQL answers: balances at t1 and t2, the transfers of each period, and statements of members, the coordinator and the community accounts', async () => {
    const [, atT1, atT2] = await reports();
    for (const [instant, report] of [
      [t1, atT1],
      [t2, atT2],
    ] as const) {
      expect(
        await exported(coordinator, { communityId, kind: 'BALANCES', asOf: millisecondBefore(instant).toISOString() }),
      ).toEqual(report.lines.map((line) => balanceCsvRow('HOUR', line)));
    }
    const csv = await transfersCsv();
    const read = await statements();
    const accounts = [
      parties[0].accountId,
      parties[MEMBERS - 1].accountId,
      globalId('Account', fixture.coordinator.account.id),
      globalId('Account', fixture.issuance.id),
      globalId('Account', fixture.pool.id),
      applicant.accountId,
    ];
    for (const [index, period] of periods().entries()) {
      if (!period.from) continue;
      expect(csv[index]).toEqual(
        (await ledgerTransfers(coordinator, globalId('Currency', fixture.currency.id), period)).map((row) =>
          transferCsvRow('HOUR', row),
        ),
      );
      for (const accountId of accounts) {
        const rows = await exported(coordinator, {
          communityId,
          kind: 'STATEMENT',
          accountId,
          from: period.from.toISOString(),
          to: period.to.toISOString(),
        });
        expect({ accountId, period: period.name, rows }).toEqual({
          accountId,
          period: period.name,
          rows: read[index].get(accountId)!.lines.map((line) => statementCsvRow(accountId, line)),
        });
      }
    }
  });

  it("proves a member's and the coordinator's statements: the proof's postings are the statement lines, its balance the closing balance", async () => {
    await chainEverything(t.dataSource);
    const checkpoint = await recordCheckpoint(coordinator, communityId);
    const read = await statements();
    // Each read by its own holder.
    for (const [holder, accountId] of [
      [parties[3].client, parties[3].accountId],
      [coordinator, globalId('Account', fixture.coordinator.account.id)],
    ] as const) {
      const proof = (await statementProof(holder, accountId))!;
      const lines = read.flatMap((period) => period.get(accountId)!.lines);
      expect(verifyStatementProof(proof, checkpoint.checkpointHash)).toEqual({
        valid: true,
        problems: [],
        postings: lines.length,
        balance: BigInt(lines.at(-1)!.balanceAfter),
      });
      expect(proof.entries.map((entry) => entry.postingText)).toEqual(
        // The proof's postings are hashed over database ids (docs/audit.md).
        lines.map((line) => `${rowId(accountId)}:${line.amount}:${line.balanceAfter}:${line.accountVersion}`),
      );
      expect(lines.at(-1)!.balanceAfter).toBe(
        (await reports())[2].lines.find((line) => line.accountId === accountId)!.balance,
      );
    }
  });
});
