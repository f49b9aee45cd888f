import { Injectable } from '@nestjs/common';
import { prepared } from '../../libs/database/prepared-statements.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ACCOUNT_FACTS_COLUMNS, ACCOUNT_FACTS_JOINS, AccountFacts, toAccountFacts } from '../access/access.policy.js';
import { OutboxService } from '../events/outbox.service.js';
import { Account, Currency, Posting, Transfer, TrialBalanceLine } from './models/ledger.models.js';
import { AccountKind, AccountStatus, TransferKind } from './models/ledger-enums.js';

type Row = Record<string, unknown>;

/** What every write carries to the database: the key in its caller's scope, the hash of the request, and annotations. */
interface KeyedWrite {
  idempotencyScope: string;
  idempotencyKey: string;
  requestHash: string;
  memo: string;
  metadata: Record<string, unknown>;
}

export interface TransferRequest extends KeyedWrite {
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  code: string;
  pending: boolean;
  timeoutSeconds: number | null;
  /** A member paying: the database refuses (`not_holder`) unless they hold the debit account through an active membership. */
  payerMemberId?: string;
  /** With a payer acting through a partner app: the membership must be in this community. */
  withinCommunityId?: string | null;
}

export type PendingAction = 'post' | 'void';

export interface ResolutionRequest extends KeyedWrite {
  pendingTransferId: string;
  action: PendingAction;
  amount: bigint | null;
  code: string;
}

export interface ReversalRequest extends KeyedWrite {
  transferId: string;
  reason: string | null;
  force: boolean;
}

export interface TransferOutcome {
  outcome: string;
  transfer: Transfer | null;
  /** For a key that already failed: the refusal it got then. */
  originalOutcome?: string | null;
}

export interface TimeWindow {
  from?: Date;
  to?: Date;
}

export interface NewAccount {
  currencyId: string;
  kind: AccountKind;
  name: string;
  lowerLimit: bigint | null;
  upperLimit: bigint | null;
}

const big = (value: unknown): bigint => BigInt(value as string);
const bigOrNull = (value: unknown): bigint | null => (value === null ? null : big(value));

/**
 * Accounts as served: holds past their timeout are released for their holder at once, though the
 * stored totals keep them until the sweeper (or the next write on the account) voids them.
 */
const ACCOUNTS = `SELECT a.*, expired.debits AS expired_pending_debits, expired.credits AS expired_pending_credits
   FROM accounts a, LATERAL ledger_expired_holds(a.id, a.pending_debits, a.pending_credits) expired`;

function toAccount(row: Row): Account {
  const postedDebits = big(row.posted_debits);
  const postedCredits = big(row.posted_credits);
  const pendingDebits = big(row.pending_debits) - big(row.expired_pending_debits ?? 0);
  return {
    id: row.id as string,
    currencyId: row.currency_id as string,
    kind: row.kind as AccountKind,
    name: row.name as string,
    status: row.status as AccountStatus,
    postedDebits,
    postedCredits,
    pendingDebits,
    pendingCredits: big(row.pending_credits) - big(row.expired_pending_credits ?? 0),
    balance: postedCredits - postedDebits,
    availableBalance: postedCredits - postedDebits - pendingDebits,
    lowerLimit: bigOrNull(row.lower_limit),
    upperLimit: bigOrNull(row.upper_limit),
    version: big(row.version),
    createdAt: row.created_at as Date,
  };
}

function toTransfer(row: Row): Transfer {
  return {
    kind: row.kind as TransferKind,
    pendingTransferId: row.pending_id as string | null,
    timeoutAt: row.timeout_at as Date | null,
    reversesTransferId: row.reverses_id as string | null,
    reason: row.reason as string | null,
    forced: row.forced as boolean,
    id: row.id as string,
    idempotencyKey: row.idempotency_key as string,
    debitAccountId: row.debit_account_id as string,
    creditAccountId: row.credit_account_id as string,
    currencyId: row.currency_id as string,
    amount: big(row.amount),
    code: row.code as string,
    memo: row.memo as string,
    metadata: row.metadata as Record<string, unknown>,
    createdAt: row.created_at as Date,
  };
}

function toPosting(row: Row): Posting {
  return {
    id: row.id as string,
    transferId: row.transfer_id as string,
    accountId: row.account_id as string,
    counterpartyAccountId: row.counterparty_account_id as string,
    amount: big(row.amount),
    balanceAfter: big(row.balance_after),
    accountVersion: big(row.account_version),
    code: row.code as string,
    memo: row.memo as string,
    createdAt: row.created_at as Date,
  };
}

function toCurrency(row: Row): Currency {
  return {
    id: row.id as string,
    communityId: row.community_id as string,
    code: row.code as string,
    name: row.name as string,
    symbol: row.symbol as string,
    minorUnitsPerUnit: row.minor_units_per_unit as number,
  };
}

/** Postings `p` with what a statement line shows of their transfer. */
const POSTINGS_WITH_TRANSFER = `
  SELECT p.*, t.code, t.memo,
         CASE WHEN t.debit_account_id = p.account_id THEN t.credit_account_id ELSE t.debit_account_id END AS counterparty_account_id
    FROM postings p JOIN transfers t ON t.id = p.transfer_id`;

/** Every single payment's statement (in groups), so prepared. */
const CREATE_TRANSFERS = prepared(
  'SELECT item, outcome, id, currency_id, created_at, original_outcome FROM ledger_create_transfers($1::jsonb, $2) ORDER BY item',
);

/** What toTransfer reads. */
const TRANSFER_COLUMNS = `id, kind, pending_id, timeout_at, reverses_id, reason, forced, idempotency_key, debit_account_id,
  credit_account_id, currency_id, amount, code, memo, metadata, created_at`;

/** A hold's read-back after its write, and any transfer fetched by id: on the path of every hold, so prepared. */
const FIND_TRANSFER = prepared(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE id = $1`);

/** The expiry sweeper's statement, four times a second on every replica, so prepared. */
const EXPIRE_DUE_HOLDS = prepared('SELECT ledger_expire_due_holds($1) AS taken');

/** Appends `created_at` bounds to a WHERE clause whose parameters are `params`. */
function windowClause(column: string, window: TimeWindow, params: unknown[]): string {
  let clause = '';
  if (window.from) clause += ` AND ${column} >= $${params.push(window.from)}`;
  if (window.to) clause += ` AND ${column} < $${params.push(window.to)}`;
  return clause;
}

/** All of the ledger's SQL. Runs on the current transaction when there is one. */
@Injectable()
export class LedgerRepository {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly outbox: OutboxService,
  ) {}

  private query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.db.manager.query(sql, params);
  }

  /** A statement that may write transfers: the events their trigger appends go out as soon as it commits. */
  private async write(sql: string, params: unknown[]): Promise<Row[]> {
    const rows = await this.query(sql, params);
    this.outbox.publishAfterCommit();
    return rows;
  }

  async createTransfers(requests: TransferRequest[], linked: boolean): Promise<TransferOutcome[]> {
    const body = requests.map((request) => ({ ...request, amount: request.amount.toString() }));
    const rows = await this.write(CREATE_TRANSFERS, [JSON.stringify(body), linked]);
    // One after another: inside a transaction they share one connection.
    const outcomes: TransferOutcome[] = [];
    for (const row of rows) outcomes.push(await this.toOutcome(row, requests[(row.item as number) - 1]));
    return outcomes;
  }

  async resolvePending(request: ResolutionRequest): Promise<TransferOutcome> {
    const [row] = await this.write('SELECT * FROM ledger_resolve_pending($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      request.idempotencyKey,
      request.requestHash,
      request.pendingTransferId,
      request.action,
      request.amount?.toString() ?? null,
      request.code,
      request.memo,
      JSON.stringify(request.metadata),
      request.idempotencyScope,
    ]);
    return this.toOutcome(row);
  }

  async reverseTransfer(request: ReversalRequest): Promise<TransferOutcome> {
    const [row] = await this.write('SELECT * FROM ledger_reverse_transfer($1, $2, $3, $4, $5, $6, $7, $8)', [
      request.idempotencyKey,
      request.requestHash,
      request.transferId,
      request.reason,
      request.force,
      request.memo,
      JSON.stringify(request.metadata),
      request.idempotencyScope,
    ]);
    return this.toOutcome(row);
  }

  /** Voids up to `limit` holds past their timeout (ledger_expire_due_holds); returns how many it took. */
  async expireDueHolds(limit: number): Promise<number> {
    const [row] = await this.write(EXPIRE_DUE_HOLDS, [limit]);
    return row.taken as number;
  }

  /**
   * A new direct transfer is exactly what was asked, so it is built from the request without a
   * second round trip (the hot path). Anything else is read back.
   */
  private async toOutcome(row: Row, request?: TransferRequest): Promise<TransferOutcome> {
    const outcome = row.outcome as string;
    if (outcome !== 'created' && outcome !== 'exists')
      return { outcome, transfer: null, originalOutcome: row.original_outcome as string | null };
    if (outcome === 'created' && request && !request.pending) {
      return {
        outcome,
        transfer: {
          ...request,
          id: row.id as string,
          currencyId: row.currency_id as string,
          createdAt: row.created_at as Date,
          kind: TransferKind.DIRECT,
          pendingTransferId: null,
          timeoutAt: null,
          reversesTransferId: null,
          reason: null,
          forced: false,
        },
      };
    }
    return { outcome, transfer: await this.findTransfer(row.id as string) };
  }

  /** The transfers that posted or voided these pending ones (at most one each), in one query. */
  async resolutionsOf(pendingTransferIds: string[]): Promise<Transfer[]> {
    return (
      await this.query(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE pending_id = ANY($1::bigint[])`, [
        pendingTransferIds,
      ])
    ).map(toTransfer);
  }

  /** The reversals of these transfers (at most one each), in one query. */
  async reversalsOf(transferIds: string[]): Promise<Transfer[]> {
    return (
      await this.query(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE reverses_id = ANY($1::bigint[])`, [transferIds])
    ).map(toTransfer);
  }

  /** The balance after the account's last posting at or before `at`: postings carry their running balance. */
  async balanceAt(accountId: string, at: Date): Promise<bigint> {
    const [row] = await this.query(
      // Clients see milliseconds, the database keeps microseconds: a posting belongs to the millisecond it shows.
      `SELECT balance_after FROM postings WHERE account_id = $1 AND created_at < $2::timestamptz + interval '1 millisecond'
        ORDER BY created_at DESC, account_version DESC LIMIT 1`,
      [accountId, at],
    );
    return row ? big(row.balance_after) : 0n;
  }

  async findTransfers(ids: string[]): Promise<Transfer[]> {
    return (await this.query(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE id = ANY($1::bigint[])`, [ids])).map(
      toTransfer,
    );
  }

  async findTransfer(id: string): Promise<Transfer | null> {
    const [row] = await this.query(FIND_TRANSFER, [id]);
    return row ? toTransfer(row) : null;
  }

  /** Newest first, keyset-paginated on id. */
  async listTransfers(
    filter: { accountId?: string; currencyId?: string; beforeId?: bigint; limit: number } & TimeWindow,
  ): Promise<Transfer[]> {
    const params: unknown[] = [];
    let where = 'TRUE';
    if (filter.currencyId) where += ` AND currency_id = $${params.push(filter.currencyId)}`;
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    where += windowClause('created_at', filter, params);
    const limit = `ORDER BY id DESC LIMIT $${params.push(filter.limit)}`;
    if (!filter.accountId)
      return (await this.query(`SELECT * FROM transfers WHERE ${where} ${limit}`, params)).map(toTransfer);
    // One index range per side, merged: an OR across the two columns would scan a busy account whole.
    const account = `$${params.push(filter.accountId)}`;
    const rows = await this.query(
      `SELECT * FROM ((SELECT * FROM transfers WHERE debit_account_id = ${account} AND ${where} ${limit})
                UNION ALL (SELECT * FROM transfers WHERE credit_account_id = ${account} AND ${where} ${limit})) sides ${limit}`,
      params,
    );
    return rows.map(toTransfer);
  }

  /** An account's postings, newest first, keyset-paginated on the account version. */
  async statement(
    filter: { accountId: string; beforeVersion?: bigint; limit: number } & TimeWindow,
  ): Promise<Posting[]> {
    const params: unknown[] = [filter.accountId];
    let where = 'p.account_id = $1';
    if (filter.beforeVersion !== undefined)
      where += ` AND p.account_version < $${params.push(filter.beforeVersion.toString())}`;
    where += windowClause('p.created_at', filter, params);
    const rows = await this.query(
      `${POSTINGS_WITH_TRANSFER}
        WHERE ${where}
        ORDER BY p.account_version DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toPosting);
  }

  /** Each transfer's debit posting, then its credit posting. */
  async postingsOfTransfers(transferIds: string[]): Promise<Posting[]> {
    const rows = await this.query(
      `${POSTINGS_WITH_TRANSFER}
        WHERE p.transfer_id = ANY($1::bigint[]) ORDER BY p.transfer_id, p.amount`,
      [transferIds],
    );
    return rows.map(toPosting);
  }

  async findPostings(ids: string[]): Promise<Posting[]> {
    return (await this.query(`${POSTINGS_WITH_TRANSFER} WHERE p.id = ANY($1::bigint[])`, [ids])).map(toPosting);
  }

  async findAccounts(ids: string[]): Promise<Account[]> {
    return (await this.query(`${ACCOUNTS} WHERE a.id = ANY($1::bigint[])`, [ids])).map(toAccount);
  }

  async findCurrencies(ids: string[]): Promise<Currency[]> {
    return (await this.query('SELECT * FROM currencies WHERE id = ANY($1::bigint[])', [ids])).map(toCurrency);
  }

  async findAccount(id: string): Promise<Account | null> {
    const [row] = await this.query(`${ACCOUNTS} WHERE a.id = $1`, [id]);
    return row ? toAccount(row) : null;
  }

  /** The account and what access to it rests on, in one round trip. */
  async findAccountWithFacts(id: string): Promise<{ account: Account; facts: AccountFacts } | null> {
    const [row] = await this.query(
      `SELECT a.*, expired.debits AS expired_pending_debits, expired.credits AS expired_pending_credits, ${ACCOUNT_FACTS_COLUMNS}
         FROM accounts a ${ACCOUNT_FACTS_JOINS}
        CROSS JOIN LATERAL ledger_expired_holds(a.id, a.pending_debits, a.pending_credits) expired
        WHERE a.id = $1`,
      [id],
    );
    return row ? { account: toAccount(row), facts: toAccountFacts(row) } : null;
  }

  async listAccounts(filter: {
    currencyId: string;
    kind?: AccountKind;
    afterId?: bigint;
    limit: number;
  }): Promise<Account[]> {
    const params: unknown[] = [filter.currencyId];
    let where = 'a.currency_id = $1';
    if (filter.kind) where += ` AND a.kind = $${params.push(filter.kind)}`;
    if (filter.afterId !== undefined) where += ` AND a.id > $${params.push(filter.afterId.toString())}`;
    const rows = await this.query(
      `${ACCOUNTS} WHERE ${where} ORDER BY a.id LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toAccount);
  }

  async findCurrency(id: string): Promise<Currency | null> {
    const [row] = await this.query('SELECT * FROM currencies WHERE id = $1', [id]);
    return row ? toCurrency(row) : null;
  }

  async currenciesOf(communityId: string): Promise<Currency[]> {
    const rows = await this.query('SELECT * FROM currencies WHERE community_id = $1 ORDER BY id', [communityId]);
    return rows.map(toCurrency);
  }

  async trialBalance(currencyId: string): Promise<TrialBalanceLine[]> {
    const rows = await this.query(
      `SELECT kind, count(*)::int AS account_count, sum(posted_debits) AS posted_debits, sum(posted_credits) AS posted_credits
         FROM accounts WHERE currency_id = $1 GROUP BY kind ORDER BY kind`,
      [currencyId],
    );
    return rows.map((row) => ({
      kind: row.kind as AccountKind,
      accountCount: row.account_count as number,
      postedDebits: big(row.posted_debits),
      postedCredits: big(row.posted_credits),
      balance: big(row.posted_credits) - big(row.posted_debits),
    }));
  }

  async insertCurrency(currency: Omit<Currency, 'id'>): Promise<Currency> {
    const [row] = await this.query(
      'INSERT INTO currencies (community_id, code, name, symbol, minor_units_per_unit) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [currency.communityId, currency.code, currency.name, currency.symbol, currency.minorUnitsPerUnit],
    );
    return toCurrency(row);
  }

  async insertAccount(account: NewAccount): Promise<Account> {
    const [row] = await this.query(
      'INSERT INTO accounts (currency_id, kind, name, lower_limit, upper_limit) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [
        account.currencyId,
        account.kind,
        account.name,
        account.lowerLimit?.toString() ?? null,
        account.upperLimit?.toString() ?? null,
      ],
    );
    return toAccount(row);
  }

  async systemAccount(currencyId: string, kind: AccountKind.ISSUANCE | AccountKind.POOL): Promise<Account | null> {
    const [row] = await this.query('SELECT * FROM accounts WHERE currency_id = $1 AND kind = $2', [currencyId, kind]);
    return row ? toAccount(row) : null;
  }

  /**
   * Takes the account's row lock for the rest of the transaction: no transfer can touch it meanwhile.
   * Its holds past their timeout are voided first, so that what it reserves is what is still open.
   */
  async lockAccount(id: string): Promise<Account | null> {
    await this.write('SELECT ledger_lock_accounts_expiring(ARRAY[$1]::bigint[])', [id]);
    const [row] = await this.query('SELECT * FROM accounts WHERE id = $1', [id]);
    return row ? toAccount(row) : null;
  }

  async setAccountStatus(accountId: string, status: AccountStatus): Promise<Account> {
    const [row] = returnedRows<Row>(
      await this.query('UPDATE accounts SET status = $2 WHERE id = $1 RETURNING *', [accountId, status]),
    );
    return toAccount(row);
  }

  async setAccountLimits(accountId: string, lowerLimit: bigint | null, upperLimit: bigint | null): Promise<Account> {
    const [row] = returnedRows<Row>(
      await this.query('UPDATE accounts SET lower_limit = $2, upper_limit = $3 WHERE id = $1 RETURNING *', [
        accountId,
        lowerLimit?.toString() ?? null,
        upperLimit?.toString() ?? null,
      ]),
    );
    return toAccount(row);
  }
}
