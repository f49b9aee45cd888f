import { Injectable } from '@nestjs/common';
import { withRetry, TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { AccountsArgs, CreateTransferInput, DateRangePageArgs, TransfersArgs } from './dto/ledger.inputs.js';
import { describeTransferError, toTransferErrorCode, TransferErrorCode } from './ledger.errors.js';
import { LedgerRepository } from './ledger.repository.js';
import { Account, Community, CreateTransferPayload, Currency, Posting, Transfer, TrialBalance } from './models/ledger.models.js';
import { AccountKind, AccountStatus } from './models/ledger-enums.js';
import { requestHash } from './request-hash.js';

export interface NewCurrency {
  communityId: string;
  code: string;
  name: string;
  symbol: string;
  minorUnitsPerUnit: number;
}

export interface NewMemberAccount {
  currencyId: string;
  name: string;
  lowerLimit?: bigint | null;
  upperLimit?: bigint | null;
}

function refused(code: TransferErrorCode): CreateTransferPayload {
  const { field, message } = describeTransferError(code);
  return { transfer: null, replayed: false, userErrors: [{ code, field: field ? ['input', field] : null, message }] };
}

/** The ledger's rules. The only way money moves is `createTransfer`, through `ledger_create_transfer`. */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly db: TransactionalConnection,
  ) {}

  async createTransfer(input: CreateTransferInput): Promise<CreateTransferPayload> {
    // The database checks these too; checking here first spares a round trip for obvious mistakes.
    if (input.amount <= 0n) return refused(TransferErrorCode.AMOUNT_MUST_BE_POSITIVE);
    if (input.debitAccountId === input.creditAccountId) return refused(TransferErrorCode.SAME_ACCOUNT);

    const request = {
      debitAccountId: input.debitAccountId,
      creditAccountId: input.creditAccountId,
      amount: input.amount,
      code: input.code,
      memo: input.memo,
      metadata: input.metadata ?? {},
    };
    // One statement is one transaction; it is retried whole, which is safe because it is idempotent.
    const { outcome, transfer } = await withRetry(() =>
      this.ledger.createTransfer({ ...request, idempotencyKey: input.idempotencyKey, requestHash: requestHash(request) }),
    );
    if (outcome === 'created' || outcome === 'exists') return { transfer, replayed: outcome === 'exists', userErrors: [] };
    return refused(toTransferErrorCode(outcome));
  }

  findAccount(id: string): Promise<Account | null> {
    return this.ledger.findAccount(id);
  }

  async listAccounts(args: AccountsArgs): Promise<Connection<Account>> {
    const afterId = decodeCursor(args.after);
    const rows = await this.ledger.listAccounts({ currencyId: args.currencyId, kind: args.kind, afterId, limit: args.first + 1 });
    return toConnection(rows, args.first, (account) => account.id, (account) => account, afterId === undefined);
  }

  async statement(accountId: string, args: DateRangePageArgs): Promise<Connection<Posting>> {
    const beforeVersion = decodeCursor(args.after);
    const rows = await this.ledger.statement({ accountId, beforeVersion, from: args.from, to: args.to, limit: args.first + 1 });
    return toConnection(rows, args.first, (posting) => posting.accountVersion, (posting) => posting, beforeVersion === undefined);
  }

  findTransfer(id: string): Promise<Transfer | null> {
    return this.ledger.findTransfer(id);
  }

  async listTransfers(args: TransfersArgs): Promise<Connection<Transfer>> {
    const beforeId = decodeCursor(args.after);
    const rows = await this.ledger.listTransfers({ ...args, beforeId, limit: args.first + 1 });
    return toConnection(rows, args.first, (transfer) => transfer.id, (transfer) => transfer, beforeId === undefined);
  }

  postingsOfTransfer(transferId: string): Promise<Posting[]> {
    return this.ledger.postingsOfTransfer(transferId);
  }

  findCurrency(id: string): Promise<Currency | null> {
    return this.ledger.findCurrency(id);
  }

  currenciesOf(communityId: string): Promise<Currency[]> {
    return this.ledger.currenciesOf(communityId);
  }

  listCommunities(): Promise<Community[]> {
    return this.ledger.listCommunities();
  }

  findCommunityBySlug(slug: string): Promise<Community | null> {
    return this.ledger.findCommunityBySlug(slug);
  }

  /** Balances summed per account kind in one query, so that the lines agree with each other. */
  async trialBalance(currencyId: string): Promise<TrialBalance | null> {
    const currency = await this.ledger.findCurrency(currencyId);
    if (!currency) return null;
    const lines = await this.ledger.trialBalance(currencyId);
    const sum = (pick: (line: (typeof lines)[number]) => bigint): bigint => lines.reduce((total, line) => total + pick(line), 0n);
    const total = sum((line) => line.balance);
    return { currency, lines, total, balanced: total === 0n && sum((l) => l.postedDebits) === sum((l) => l.postedCredits), asOf: new Date() };
  }

  createCommunity(slug: string, name: string): Promise<Community> {
    return this.ledger.insertCommunity(slug, name);
  }

  /** A currency is born with its system accounts: issuance (unbounded below) and the pool (never negative). */
  createCurrency(currency: NewCurrency): Promise<Currency> {
    return this.db.transaction(async () => {
      const created = await this.ledger.insertCurrency(currency);
      await this.ledger.insertAccount({ currencyId: created.id, kind: AccountKind.ISSUANCE, name: `${currency.code} issuance`, lowerLimit: null, upperLimit: null });
      await this.ledger.insertAccount({ currencyId: created.id, kind: AccountKind.POOL, name: `${currency.code} community pool`, lowerLimit: 0n, upperLimit: null });
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

  setAccountStatus(accountId: string, status: AccountStatus): Promise<void> {
    return this.ledger.setAccountStatus(accountId, status);
  }
}
