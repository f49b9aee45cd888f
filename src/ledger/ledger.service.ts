import { Injectable } from '@nestjs/common';
import { GroupCommit } from '../../libs/database/group-commit.js';
import { Metrics, TransferOutcome as CountedOutcome } from '../../libs/observability/metrics.js';
import type { AccountFacts } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditedAction, AuditLogService } from '../audit/audit-log.service.js';
import { withRetry, TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { refusable, Refusal } from '../../libs/graphql/refusal.js';
import {
  AccountsArgs,
  CreateTransferInput,
  CreateTransfersInput,
  PostPendingTransferInput,
  ReverseTransferInput,
  TransfersArgs,
  VoidPendingTransferInput,
} from './dto/ledger.inputs.js';
import { DateRangePageArgs } from '../../libs/graphql/pagination.js';
import {
  AccountErrorCode,
  describeTransferError,
  toTransferErrorCode,
  TransferErrorCode,
  transferUserError,
} from './ledger.errors.js';
import { isSystemCode, LedgerCaller, SYSTEM_CALLER } from './ledger-caller.js';
import { ledgerLoaders, LedgerLoaders } from './ledger.loaders.js';
import { LedgerRepository, PendingAction, TransferOutcome, TransferRequest } from './ledger.repository.js';
import {
  Account,
  CreateTransferPayload,
  CreateTransfersPayload,
  Currency,
  Posting,
  Transfer,
  TrialBalance,
} from './models/ledger.models.js';
import { AccountKind, AccountStatus, BatchMode, TransferKind } from './models/ledger-enums.js';
import { requestHash } from './request-hash.js';

export interface NewCurrency {
  communityId: string;
  code: string;
  name: string;
  symbol: string;
  minorUnitsPerUnit: number;
}

/** What a manager's transfer writes to the audit log, in its transaction; the transfer's sides and amount are added. */
export interface TransferAudit {
  actor: Actor;
  as: AuditedAction['as'];
  action: string;
  communityId: string;
  reason: string | null;
  details?: Record<string, unknown>;
}

interface SingleTransfer {
  request: TransferRequest;
  audit?: TransferAudit;
}

/** The audit log entry of a manager's transfer: what was asked, with the transfer's sides and amount. */
export function transferAuditEntry(
  { actor, details, ...audit }: TransferAudit,
  transfer: Transfer,
): { actor: Actor; action: AuditedAction } {
  return {
    actor,
    action: {
      ...audit,
      targetType: 'transfer',
      targetId: transfer.id,
      details: {
        ...details,
        debitAccountId: transfer.debitAccountId,
        creditAccountId: transfer.creditAccountId,
        amount: transfer.amount.toString(),
      },
    },
  };
}

/** A member paying from what they hold; through a partner app, only within its community. */
export interface Payer {
  memberId: string;
  withinCommunityId: string | null;
}

const NOT_HOLDER = 'not_holder';

/** The database refused a member's payment: they do not hold the debit account through an active membership. */
export interface TransferOptions {
  caller?: LedgerCaller;
  payer?: Payer;
  audit?: TransferAudit;
}

export class PayerNotHolder extends Error {
  constructor() {
    super('the payer does not hold the debit account');
  }
}

export interface AccountChange {
  account: Account | null;
  refusal: AccountErrorCode | null;
}

/** Nothing on it and nothing reserved: it can close without stranding money. */
export const isSettled = (account: Account): boolean =>
  account.balance === 0n && account.pendingDebits === 0n && account.pendingCredits === 0n;

export interface NewMemberAccount {
  currencyId: string;
  name: string;
  lowerLimit?: bigint | null;
  upperLimit?: bigint | null;
}

/**
 * Where an input names no field a refusal is about (a reversal refused for the payee's limit has no
 * `amount`), the refusal points at the operation's subject instead, e.g. `transferId`.
 */
interface InputShape {
  fields: readonly string[];
  subject: string;
}

export function refusedTransfer(
  code: TransferErrorCode,
  shape?: InputShape,
  originalCode: TransferErrorCode | null = null,
): CreateTransferPayload {
  const described = describeTransferError(code).field;
  const field = described && shape && !shape.fields.includes(described) ? shape.subject : described;
  return { transfer: null, replayed: false, userErrors: [transferUserError(code, field, originalCode)] };
}

function toPayload({ outcome, transfer, originalOutcome }: TransferOutcome, shape?: InputShape): CreateTransferPayload {
  if (outcome === 'created' || outcome === 'exists')
    return { transfer, replayed: outcome === 'exists', userErrors: [] };
  const originalCode = originalOutcome ? toTransferErrorCode(originalOutcome) : null;
  return refusedTransfer(toTransferErrorCode(outcome), shape, originalCode);
}

const POST_INPUT: InputShape = {
  fields: ['idempotencyKey', 'pendingTransferId', 'amount'],
  subject: 'pendingTransferId',
};
const VOID_INPUT: InputShape = { fields: ['idempotencyKey', 'pendingTransferId'], subject: 'pendingTransferId' };
const REVERSE_INPUT: InputShape = { fields: ['idempotencyKey', 'transferId', 'reason'], subject: 'transferId' };

/** What an applied write counts as in pumasi_ledger_transfers_total. */
const COUNTED_AS: Record<TransferKind, CountedOutcome> = {
  [TransferKind.DIRECT]: 'posted',
  [TransferKind.PENDING]: 'pending',
  [TransferKind.POST_PENDING]: 'posted',
  [TransferKind.VOID_PENDING]: 'voided',
};

const applied = (outcome: TransferOutcome): boolean => outcome.outcome === 'created' || outcome.outcome === 'exists';

/**
 * A linked batch of `size` transfers the ledger refused: the refused transfer gets its code, the
 * others LINKED_EVENT_FAILED. The ledger stops at the refused one, so the outcomes end with it.
 */
function refusedBatch(size: number, outcomes: TransferOutcome[]): CreateTransferPayload[] {
  const culprit = outcomes.findIndex((outcome) => !applied(outcome));
  return Array.from({ length: size }, (_, index) =>
    index === culprit ? toPayload(outcomes[index]) : refusedTransfer(TransferErrorCode.LINKED_EVENT_FAILED),
  );
}

/** Refusals that need no database: checked here first to spare a round trip; the database checks them too (of the codes, an exchange's hold). */
function precheck(input: CreateTransferInput, caller: LedgerCaller): TransferErrorCode | null {
  if (!caller.mayUseSystemCodes && isSystemCode(input.code ?? 'payment')) return TransferErrorCode.RESERVED_CODE;
  if (input.amount <= 0n) return TransferErrorCode.AMOUNT_MUST_BE_POSITIVE;
  if (input.debitAccountId === input.creditAccountId) return TransferErrorCode.SAME_ACCOUNT;
  if (input.timeoutSeconds !== undefined && input.timeoutSeconds !== null && !input.pending)
    return TransferErrorCode.TIMEOUT_REQUIRES_PENDING;
  return null;
}

/** The request as stored: everything the client asked for, hashed to tell a replay from a different request. */
function toTransferRequest(input: CreateTransferInput, caller: LedgerCaller): TransferRequest {
  const request = {
    debitAccountId: input.debitAccountId,
    creditAccountId: input.creditAccountId,
    amount: input.amount,
    code: input.code ?? 'payment',
    memo: input.memo ?? '',
    metadata: input.metadata ?? {},
    pending: input.pending ?? false,
    timeoutSeconds: input.timeoutSeconds ?? null,
  };
  return keyed(request, input.idempotencyKey, caller);
}

/** A request as the database receives it: under the caller's key, with the hash that tells a replay from a different request. */
function keyed<R extends Record<string, unknown>>(
  request: R,
  idempotencyKey: string,
  caller: LedgerCaller,
): R & { idempotencyScope: string; idempotencyKey: string; requestHash: string } {
  return { ...request, idempotencyScope: caller.scope, idempotencyKey, requestHash: requestHash(request) };
}

/**
 * The ledger's rules. Money moves only through the `ledger_*` database functions called from here.
 * Every write names its caller (LedgerCaller): clients' writes come through AuthorizedLedgerService, which
 * names them; a write that names no caller is the system's own.
 */
@Injectable()
export class LedgerService {
  /**
   * Single transfers are written in groups: each keeps its own outcome (independent mode), and a
   * group is one statement, so one transaction; retried whole on deadlock, which is safe because
   * every transfer in it is idempotent.
   *
   * Two groups in flight, not more: one is written while the next gathers. Each group is a
   * statement, a commit and a round trip; with four in flight the same load is cut into more,
   * smaller groups. Against four, two spent 2% and 22% less server CPU per transfer in two
   * comparisons (bench --compare, both servers warmed, on a two-core machine loaded by others).
   * A transfer on an account that a group in flight holds waits for it here, not at the account's
   * lock, and leaves with the next group (conflictKeys).
   */
  private readonly singleTransfers = new GroupCommit<SingleTransfer, TransferOutcome>(
    // Detached: a group gathers strangers' requests, which must never join one caller's transaction.
    (transfers) => this.db.detached(() => withRetry(() => this.writeSingles(transfers))),
    {
      maxGroup: 200,
      maxInFlight: 2,
      conflictKeys: ({ request }) => [request.debitAccountId, request.creditAccountId],
    },
  );

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly db: TransactionalConnection,
    private readonly audit: AuditLogService,
    private readonly metrics: Metrics,
  ) {}

  /** Counts a write's outcome as the ledger answered it (a step of a larger transaction included), and passes it on. */
  private counted(payload: CreateTransferPayload): CreateTransferPayload {
    const [refusal] = payload.userErrors;
    if (refusal) this.metrics.countTransfer('refused', refusal.code);
    else if (payload.replayed) this.metrics.countTransfer('replayed');
    else if (payload.transfer) this.metrics.countTransfer(COUNTED_AS[payload.transfer.kind]);
    return payload;
  }

  /**
   * One statement for the transfers; a group holding audited ones is one transaction, so that each
   * audit row commits with its transfer (and a hot account's managers still share its lock and commit).
   */
  private writeSingles(transfers: SingleTransfer[]): Promise<TransferOutcome[]> {
    const write = async (): Promise<TransferOutcome[]> => {
      const outcomes = await this.ledger.createTransfers(
        transfers.map((transfer) => transfer.request),
        false,
      );
      await this.audit.recordAll(
        transfers.flatMap(({ audit }, index) =>
          audit && outcomes[index].outcome === 'created' ? [transferAuditEntry(audit, outcomes[index].transfer!)] : [],
        ),
      );
      return outcomes;
    };
    return transfers.some((transfer) => transfer.audit) ? this.db.transaction(write) : write();
  }

  /**
   * A transfer on its own, in a transaction of its own: gathered with other callers' transfers into
   * one group commit. Inside a caller's transaction use createTransferInTransaction instead; this
   * refuses to run there, since a group must never join one caller's transaction.
   *
   * With a payer, the database itself checks that they hold the debit account (under its lock, in
   * the same statement), and PayerNotHolder is thrown when they do not; nothing is recorded then.
   * With an audit, a created transfer commits with its audit row.
   */
  createTransfer(input: CreateTransferInput, options: TransferOptions = {}): Promise<CreateTransferPayload> {
    this.db.requireNoTransaction('LedgerService.createTransfer');
    return this.transfer(input, options, (transfer) => this.singleTransfers.submit(transfer));
  }

  /** A transfer that commits or rolls back with the caller's open transaction (a step of an exchange, say). */
  createTransferInTransaction(
    input: CreateTransferInput,
    options: TransferOptions = {},
  ): Promise<CreateTransferPayload> {
    this.db.requireTransaction('LedgerService.createTransferInTransaction');
    return this.transfer(input, options, async (transfer) => (await this.writeSingles([transfer]))[0]);
  }

  private async transfer(
    input: CreateTransferInput,
    options: TransferOptions,
    write: (transfer: SingleTransfer) => Promise<TransferOutcome>,
  ): Promise<CreateTransferPayload> {
    const { caller = SYSTEM_CALLER, payer, audit } = options;
    const refusal = precheck(input, caller);
    if (refusal) return this.counted(refusedTransfer(refusal));
    const request = {
      ...toTransferRequest(input, caller),
      ...(payer && { payerMemberId: payer.memberId, withinCommunityId: payer.withinCommunityId }),
    };
    const outcome = await write({ request, audit });
    if (outcome.outcome === NOT_HOLDER) throw new PayerNotHolder();
    return this.counted(toPayload(outcome));
  }

  /**
   * Linked: all apply or none; the refused transfer gets its code, the others LINKED_EVENT_FAILED.
   * Independent: each gets its own result. Both run as one database call in one transaction.
   */
  async createTransfers(
    input: CreateTransfersInput,
    caller: LedgerCaller = SYSTEM_CALLER,
  ): Promise<CreateTransfersPayload> {
    const payload = await this.batch(input, caller);
    payload.results.forEach((result) => this.counted(result));
    return payload;
  }

  private async batch(input: CreateTransfersInput, caller: LedgerCaller): Promise<CreateTransfersPayload> {
    const linked = input.mode === BatchMode.LINKED;
    const prechecked = input.transfers.map((transfer) => precheck(transfer, caller));
    if (linked && prechecked.some((code) => code !== null)) {
      return {
        results: prechecked.map((code) => refusedTransfer(code ?? TransferErrorCode.LINKED_EVENT_FAILED)),
        userErrors: [],
      };
    }
    const toApply = input.transfers.filter((_, index) => prechecked[index] === null);
    const outcomes = toApply.length
      ? await this.applyBatch(
          toApply.map((transfer) => toTransferRequest(transfer, caller)),
          linked,
        )
      : [];
    let next = 0;
    return { results: prechecked.map((code) => (code ? refusedTransfer(code) : outcomes[next++])), userErrors: [] };
  }

  private applyBatch(requests: TransferRequest[], linked: boolean): Promise<CreateTransferPayload[]> {
    return refusable(
      this.db,
      (outcomes: TransferOutcome[]) => refusedBatch(requests.length, outcomes),
      async () => {
        const outcomes = await this.ledger.createTransfers(requests, linked);
        // Thrown, so that the transfers of a linked batch already written roll back: all apply or none.
        if (linked && !outcomes.every(applied)) throw new Refusal(outcomes);
        return outcomes.map((outcome) => toPayload(outcome));
      },
    );
  }

  postPendingTransfer(
    input: PostPendingTransferInput,
    caller: LedgerCaller = SYSTEM_CALLER,
  ): Promise<CreateTransferPayload> {
    if (input.amount !== undefined && input.amount !== null && input.amount <= 0n) {
      return Promise.resolve(this.counted(refusedTransfer(TransferErrorCode.AMOUNT_MUST_BE_POSITIVE)));
    }
    return this.resolvePending(input, 'post', input.amount ?? null, caller);
  }

  voidPendingTransfer(
    input: VoidPendingTransferInput,
    caller: LedgerCaller = SYSTEM_CALLER,
  ): Promise<CreateTransferPayload> {
    return this.resolvePending(input, 'void', null, caller);
  }

  private async resolvePending(
    input: PostPendingTransferInput | VoidPendingTransferInput,
    action: PendingAction,
    amount: bigint | null,
    caller: LedgerCaller,
  ): Promise<CreateTransferPayload> {
    const request = {
      pendingTransferId: input.pendingTransferId,
      action,
      amount,
      code: action,
      memo: input.memo ?? '',
      metadata: input.metadata ?? {},
    };
    return this.counted(
      toPayload(
        await this.retried(() => this.ledger.resolvePending(keyed(request, input.idempotencyKey, caller))),
        action === 'post' ? POST_INPUT : VOID_INPUT,
      ),
    );
  }

  /** Writes the opposite transfer, at most once per original. `force` needs a reason. Who may reverse is the caller's rule. */
  async reverseTransfer(
    input: ReverseTransferInput,
    caller: LedgerCaller = SYSTEM_CALLER,
  ): Promise<CreateTransferPayload> {
    const reason = input.reason?.trim() || null;
    if (input.force && !reason) return this.counted(refusedTransfer(TransferErrorCode.REASON_REQUIRED));
    const original = await this.ledger.findTransfer(input.transferId);
    if (!original) return this.counted(refusedTransfer(TransferErrorCode.TRANSFER_NOT_FOUND));
    const request = {
      transferId: input.transferId,
      reason,
      force: input.force ?? false,
      memo: input.memo ?? '',
      metadata: input.metadata ?? {},
    };
    return this.counted(
      toPayload(
        await this.retried(() => this.ledger.reverseTransfer(keyed(request, input.idempotencyKey, caller))),
        REVERSE_INPUT,
      ),
    );
  }

  /**
   * Retries a write alone on deadlock; inside a caller's transaction the caller's own retry reruns
   * the whole of it, as a failed statement has aborted the transaction.
   */
  private retried<T>(work: () => Promise<T>): Promise<T> {
    return this.db.inTransaction ? work() : withRetry(work);
  }

  /**
   * Voids pending transfers past their timeout, up to `limit` of them, in one transaction. Safe with
   * many replicas: each claims the ones it takes (SKIP LOCKED) and locks their accounts at once in
   * ascending id order, as every write does; a hold resolves once, whoever voids it first.
   */
  expireDuePendingTransfers(limit: number): Promise<number> {
    return this.ledger.expireDueHolds(limit);
  }

  async resolutionOf(pendingTransferId: string): Promise<Transfer | null> {
    return (await this.ledger.resolutionsOf([pendingTransferId]))[0] ?? null;
  }

  async reversalOf(transferId: string): Promise<Transfer | null> {
    return (await this.ledger.reversalsOf([transferId]))[0] ?? null;
  }

  balanceAt(accountId: string, at: Date): Promise<bigint> {
    return this.ledger.balanceAt(accountId, at);
  }

  /** Batching loaders for one GraphQL request, whose context object holds them. */
  loadersFor(requestContext: object): LedgerLoaders {
    return ledgerLoaders(requestContext, this.ledger);
  }

  /**
   * An object named by another that already proves the caller may see it (a posting its account,
   * an auditor's report line its account): loaded in one batch per request, and not checked again.
   */
  async accountNamedBy(requestContext: object, accountId: string): Promise<Account> {
    return (await this.loadersFor(requestContext).account.load(accountId))!;
  }

  async transferNamedBy(requestContext: object, transferId: string): Promise<Transfer> {
    return (await this.loadersFor(requestContext).transfer.load(transferId))!;
  }

  /** Currencies are public (`currency(id)`): any object's currency may be shown. */
  async currencyNamedBy(requestContext: object, currencyId: string): Promise<Currency> {
    return (await this.loadersFor(requestContext).currency.load(currencyId))!;
  }

  findAccount(id: string): Promise<Account | null> {
    return this.ledger.findAccount(id);
  }

  findAccountWithFacts(id: string): Promise<{ account: Account; facts: AccountFacts } | null> {
    return this.ledger.findAccountWithFacts(id);
  }

  async listAccounts(args: AccountsArgs): Promise<Connection<Account>> {
    const afterId = decodeCursor(args.after);
    const rows = await this.ledger.listAccounts({
      currencyId: args.currencyId,
      kind: args.kind,
      afterId,
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      (account) => account.id,
      (account) => account,
      afterId === undefined,
    );
  }

  async statement(accountId: string, args: DateRangePageArgs): Promise<Connection<Posting>> {
    const beforeVersion = decodeCursor(args.after);
    const rows = await this.ledger.statement({
      accountId,
      beforeVersion,
      from: args.from,
      to: args.to,
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      (posting) => posting.accountVersion,
      (posting) => posting,
      beforeVersion === undefined,
    );
  }

  findTransfer(id: string): Promise<Transfer | null> {
    return this.ledger.findTransfer(id);
  }

  async listTransfers(args: TransfersArgs): Promise<Connection<Transfer>> {
    const beforeId = decodeCursor(args.after);
    const rows = await this.ledger.listTransfers({ ...args, beforeId, limit: args.first + 1 });
    return toConnection(
      rows,
      args.first,
      (transfer) => transfer.id,
      (transfer) => transfer,
      beforeId === undefined,
    );
  }

  postingsOfTransfer(transferId: string): Promise<Posting[]> {
    return this.ledger.postingsOfTransfers([transferId]);
  }

  findCurrency(id: string): Promise<Currency | null> {
    return this.ledger.findCurrency(id);
  }

  currenciesOf(communityId: string): Promise<Currency[]> {
    return this.ledger.currenciesOf(communityId);
  }

  /** Balances summed per account kind in one query, so that the lines agree with each other. */
  async trialBalance(currencyId: string): Promise<TrialBalance | null> {
    const currency = await this.ledger.findCurrency(currencyId);
    if (!currency) return null;
    const lines = await this.ledger.trialBalance(currencyId);
    const sum = (pick: (line: (typeof lines)[number]) => bigint): bigint =>
      lines.reduce((total, line) => total + pick(line), 0n);
    const total = sum((line) => line.balance);
    return {
      currency,
      lines,
      total,
      balanced: total === 0n && sum((l) => l.postedDebits) === sum((l) => l.postedCredits),
      asOf: new Date(),
    };
  }

  /** A currency is born with its system accounts: issuance (unbounded below) and the pool (never negative). */
  createCurrency(currency: NewCurrency): Promise<Currency> {
    return this.db.transaction(async () => {
      const created = await this.ledger.insertCurrency(currency);
      await this.ledger.insertAccount({
        currencyId: created.id,
        kind: AccountKind.ISSUANCE,
        name: `${currency.code} issuance`,
        lowerLimit: null,
        upperLimit: null,
      });
      await this.ledger.insertAccount({
        currencyId: created.id,
        kind: AccountKind.POOL,
        name: `${currency.code} community pool`,
        lowerLimit: 0n,
        upperLimit: null,
      });
      return created;
    });
  }

  openMemberAccount(account: NewMemberAccount): Promise<Account> {
    return this.ledger.insertAccount({
      currencyId: account.currencyId,
      kind: AccountKind.MEMBER,
      name: account.name,
      lowerLimit: account.lowerLimit === undefined ? 0n : account.lowerLimit,
      upperLimit: account.upperLimit ?? null,
    });
  }

  systemAccount(currencyId: string, kind: AccountKind.ISSUANCE | AccountKind.POOL): Promise<Account | null> {
    return this.ledger.systemAccount(currencyId, kind);
  }

  /** Freezes, unfreezes or closes an account. A closed account stays closed. */
  changeAccountStatus(accountId: string, status: AccountStatus): Promise<AccountChange> {
    return this.db.transaction(async () => {
      const account = await this.ledger.lockAccount(accountId);
      if (!account) return { account: null, refusal: AccountErrorCode.ACCOUNT_NOT_FOUND };
      if (account.status === AccountStatus.CLOSED) return { account, refusal: AccountErrorCode.ACCOUNT_CLOSED };
      if (status === AccountStatus.CLOSED && !isSettled(account))
        return { account, refusal: AccountErrorCode.ACCOUNT_NOT_SETTLED };
      return { account: await this.ledger.setAccountStatus(accountId, status), refusal: null };
    });
  }

  /** New limits for a member account; refused when the balance (with what is reserved) would fall outside them. */
  setAccountLimits(accountId: string, lowerLimit: bigint | null, upperLimit: bigint | null): Promise<AccountChange> {
    if (lowerLimit !== null && upperLimit !== null && lowerLimit > upperLimit)
      return Promise.resolve({ account: null, refusal: AccountErrorCode.LIMITS_OUT_OF_ORDER });
    return this.db.transaction(async () => {
      const account = await this.ledger.lockAccount(accountId);
      if (!account) return { account: null, refusal: AccountErrorCode.ACCOUNT_NOT_FOUND };
      if (account.kind !== AccountKind.MEMBER) return { account, refusal: AccountErrorCode.NOT_A_MEMBER_ACCOUNT };
      if (account.status === AccountStatus.CLOSED) return { account, refusal: AccountErrorCode.ACCOUNT_CLOSED };
      // The same rule as the database's CHECKs, asked first so that the refusal is data, not an exception.
      const tooLow = lowerLimit !== null && account.availableBalance < lowerLimit;
      const tooHigh = upperLimit !== null && account.balance + account.pendingCredits > upperLimit;
      if (tooLow || tooHigh) return { account, refusal: AccountErrorCode.LIMITS_EXCLUDE_BALANCE };
      return { account: await this.ledger.setAccountLimits(accountId, lowerLimit, upperLimit), refusal: null };
    });
  }
}
