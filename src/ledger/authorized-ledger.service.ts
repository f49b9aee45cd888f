import { Injectable } from '@nestjs/common';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection } from '../../libs/graphql/pagination.js';
import { refusedPayload } from '../../libs/graphql/refusal.js';
import { AccessPolicy, AccountFacts, DebitRight, forbidden, ManagerRole } from '../access/access.policy.js';
import type { Actor, MemberActor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { accountKey, EventsService, eventTypesOf, toEvent } from '../events/events.service.js';
import { AccountActivity } from './models/account-activity.models.js';

const TRANSFER_EVENTS = eventTypesOf('transfer');
import {
  AccountsArgs,
  AccountStatusInput,
  CreateTransferInput,
  CreateTransfersInput,
  GrantCreditsInput,
  GrantSource,
  PostPendingTransferInput,
  ReverseTransferInput,
  SetAccountLimitsInput,
  TransfersArgs,
  VoidPendingTransferInput,
} from './dto/ledger.inputs.js';
import { DateRangePageArgs } from '../../libs/graphql/pagination.js';
import { AccountErrorCode, accountUserError, TransferErrorCode } from './ledger.errors.js';
import { clientCaller, SYSTEM_CODES } from './ledger-caller.js';
import {
  AccountChange,
  LedgerService,
  PayerNotHolder,
  refusedTransfer,
  TransferAudit,
  transferAuditEntry,
} from './ledger.service.js';
import {
  Account,
  AccountPayload,
  CreateTransferPayload,
  CreateTransfersPayload,
  Posting,
  Transfer,
  TrialBalance,
} from './models/ledger.models.js';
import { AccountKind, AccountStatus } from './models/ledger-enums.js';

/** An object that must exist, since an event names it (history is never deleted); as ever, missing looks like refused. */
function found<T>(row: T | null): T {
  if (!row) throw forbidden();
  return row;
}

const refusedAccount = refusedPayload(accountUserError, { account: null });

function toAccountPayload({ account, refusal }: AccountChange): AccountPayload {
  return refusal ? refusedAccount(refusal) : { account, userErrors: [] };
}

/**
 * The ledger as callers reach it: every operation first asks the access policy whether this actor
 * may do it, then calls LedgerService, the one gate that writes money. A manager's move of money
 * commits with its audit row; a member's payment from their own account takes the fast path.
 */
@Injectable()
export class AuthorizedLedgerService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly events: EventsService,
  ) {}

  /**
   * Live: every transfer event of one account, with its balances as they then stand. The holder, or
   * an auditor: whoever may read the account's history, and so every transfer that touches it. The
   * right is asked again for each event (from the facts this connection already holds), so that one
   * who loses it gets FORBIDDEN, and nothing more; the transfer and the account are read only if
   * `fields` (the subscriber's selection) show them.
   */
  async followAccount(
    actor: Actor,
    accountId: string,
    fields: ReadonlySet<string>,
    after?: bigint,
  ): Promise<AsyncIterableIterator<AccountActivity>> {
    const mayFollow = (facts: AccountFacts) => this.access.mayReadHistory(actor, facts);
    await this.access.requireAccount(actor, accountId, mayFollow);
    return this.events.subscribe(
      actor,
      {
        types: TRANSFER_EVENTS,
        about: ({ payload }) => payload.debitAccountId === accountId || payload.creditAccountId === accountId,
        key: accountKey(accountId),
        after,
      },
      async (event) => {
        await this.access.requireAccount(actor, accountId, mayFollow);
        const reads = {
          transfer: () => this.ledger.findTransfer(event.aggregateId).then(found),
          account: () => this.ledger.findAccount(accountId).then(found),
        };
        return AccountActivity.read(toEvent(event), reads, fields);
      },
    );
  }

  /**
   * A member's payment goes straight to the ledger, whose database function checks that they hold
   * the debit account: one round trip. Only for those who manage a community is the account looked
   * at first, since they may also move the community's own accounts (audited).
   */
  async createTransfer(actor: Actor, input: CreateTransferInput): Promise<CreateTransferPayload> {
    if (actor.kind === 'member' && !(await this.access.managesAnything(actor))) return this.payAsHolder(actor, input);
    const { facts, right } = await this.debitable(actor, input.debitAccountId);
    if (right === 'own') return this.payAsHolder(actor as MemberActor, input);
    return this.ledger.createTransfer(input, {
      caller: clientCaller(actor),
      audit: {
        actor,
        as: right,
        action: 'ledger.transfer_from_community_account',
        communityId: facts.communityId,
        reason: null,
      },
    });
  }

  private async payAsHolder(actor: MemberActor, input: CreateTransferInput): Promise<CreateTransferPayload> {
    try {
      return await this.ledger.createTransfer(input, {
        caller: clientCaller(actor),
        payer: { memberId: actor.memberId, withinCommunityId: actor.withinCommunityId },
      });
    } catch (error) {
      throw error instanceof PayerNotHolder ? forbidden() : error;
    }
  }

  /** Batches move only the caller's own money; managers move the community's money one audited transfer at a time. */
  async createTransfers(actor: Actor, input: CreateTransfersInput): Promise<CreateTransfersPayload> {
    const rights = await Promise.all(
      input.transfers.map(async (transfer) => (await this.debitable(actor, transfer.debitAccountId)).right),
    );
    if (rights.some((right) => right !== 'own')) throw forbidden();
    return this.ledger.createTransfers(input, clientCaller(actor));
  }

  /** Posting spends the payer's reservation: the payer (or, for a community account, its managers) decides. */
  async postPendingTransfer(actor: Actor, input: PostPendingTransferInput): Promise<CreateTransferPayload> {
    const pending = await this.resolvableHold(actor, input.pendingTransferId);
    const { facts, right } = await this.debitable(actor, pending.debitAccountId);
    const caller = clientCaller(actor);
    if (right === 'own') return this.ledger.postPendingTransfer(input, caller);
    return this.audited(
      { actor, as: right, action: 'ledger.post_pending', communityId: facts.communityId, reason: null },
      () => this.ledger.postPendingTransfer(input, caller),
    );
  }

  /** Either side may release a hold: the payer, or the payee giving up what was reserved for them. */
  async voidPendingTransfer(actor: Actor, input: VoidPendingTransferInput): Promise<CreateTransferPayload> {
    const pending = await this.resolvableHold(actor, input.pendingTransferId);
    const debit = await this.access.accountFacts(actor, pending.debitAccountId);
    const credit = await this.access.accountFacts(actor, pending.creditAccountId);
    const caller = clientCaller(actor);
    if (credit && this.access.holds(actor, credit)) return this.ledger.voidPendingTransfer(input, caller);
    const right = debit ? await this.access.debitRight(actor, debit) : null;
    if (!right || !debit) throw forbidden();
    if (right === 'own') return this.ledger.voidPendingTransfer(input, caller);
    return this.audited(
      { actor, as: right, action: 'ledger.void_pending', communityId: debit.communityId, reason: null },
      () => this.ledger.voidPendingTransfer(input, caller),
    );
  }

  /** Managers of the transfer's community only; a party who can see the transfer is told it is not theirs to reverse. */
  async reverseTransfer(actor: Actor, input: ReverseTransferInput): Promise<CreateTransferPayload> {
    const { transfer, debit } = await this.readableTransfer(actor, input.transferId);
    const role = await this.access.managerRole(actor, debit.communityId);
    if (!role) return refusedTransfer(TransferErrorCode.REVERSAL_NOT_PERMITTED);
    const action = input.force ? 'ledger.force_reversal' : 'ledger.reversal';
    const audit = {
      actor,
      as: role,
      action,
      communityId: debit.communityId,
      reason: input.reason ?? null,
      details: { reverses: transfer.id },
    };
    return this.audited(audit, () => this.ledger.reverseTransfer(input, clientCaller(actor)));
  }

  /** New money from issuance, or the pool's, to a member account of a community the actor manages. */
  async grantCredits(actor: Actor, input: GrantCreditsInput): Promise<CreateTransferPayload> {
    const { facts, role } = await this.managedAccount(actor, input.accountId);
    // Grants go to members; money moves between the community's own accounts are not grants.
    if (facts.kind !== 'member') throw forbidden();
    const currencyId = (await this.ledger.findAccount(facts.accountId))!.currencyId;
    const source = (await this.ledger.systemAccount(
      currencyId,
      input.source === GrantSource.POOL ? AccountKind.POOL : AccountKind.ISSUANCE,
    ))!;
    const transfer: CreateTransferInput = {
      idempotencyKey: input.idempotencyKey,
      debitAccountId: source.id,
      creditAccountId: input.accountId,
      amount: input.amount,
      code: SYSTEM_CODES.GRANT,
      memo: input.memo,
      metadata: input.metadata,
    };
    // The key is the manager's, in their scope; the code is the system's.
    return this.ledger.createTransfer(transfer, {
      caller: { ...clientCaller(actor), mayUseSystemCodes: true },
      audit: {
        actor,
        as: role,
        action: 'ledger.grant',
        communityId: facts.communityId,
        reason: input.reason ?? null,
        details: { source: input.source },
      },
    });
  }

  async setAccountLimits(actor: Actor, input: SetAccountLimitsInput): Promise<AccountPayload> {
    const { facts, role } = await this.managedAccount(actor, input.accountId);
    return this.db.transaction(async () => {
      const before = await this.ledger.findAccount(facts.accountId);
      const change = await this.ledger.setAccountLimits(facts.accountId, input.lowerLimit, input.upperLimit ?? null);
      if (!change.refusal) {
        await this.audit.record(actor, {
          as: role,
          action: 'account.set_limits',
          communityId: facts.communityId,
          targetType: 'account',
          targetId: facts.accountId,
          reason: input.reason ?? null,
          details: { before: limitsOf(before!), after: limitsOf(change.account!) },
        });
      }
      return toAccountPayload(change);
    });
  }

  freezeAccount(actor: Actor, input: AccountStatusInput): Promise<AccountPayload> {
    return this.changeStatus(actor, input, AccountStatus.FROZEN, 'account.freeze');
  }

  unfreezeAccount(actor: Actor, input: AccountStatusInput): Promise<AccountPayload> {
    return this.changeStatus(actor, input, AccountStatus.OPEN, 'account.unfreeze');
  }

  /**
   * One round trip: the account is read with the facts that decide whether the actor may see it,
   * and shown only if they may. The facts stay for the request's later checks (its statement, say).
   */
  async findAccount(actor: Actor, accountId: string): Promise<Account> {
    this.access.requireAuthenticated(actor);
    const found = isDatabaseId(accountId) ? await this.ledger.findAccountWithFacts(accountId) : null;
    if (!found) throw forbidden();
    this.access.primeAccountFacts(actor, found.facts);
    await this.access.requireAccount(actor, accountId, (facts) => this.access.mayReadAccount(actor, facts));
    return found.account;
  }

  /** Auditors see every account of a currency; members too, where their community shows balances. */
  async listAccounts(actor: Actor, args: AccountsArgs): Promise<Connection<Account>> {
    this.access.requireAuthenticated(actor);
    const community = await this.access.communityOfCurrency(args.currencyId);
    if (!community) throw forbidden();
    const allowed =
      (await this.access.mayAudit(actor, community.communityId)) ||
      (community.balancesVisible && (await this.access.isActiveMember(actor, community.communityId)));
    if (!allowed) throw forbidden();
    return this.ledger.listAccounts(args);
  }

  async findTransfer(actor: Actor, transferId: string): Promise<Transfer> {
    return (await this.readableTransfer(actor, transferId)).transfer;
  }

  /** One account's transfers for its holder and auditors; a currency's for auditors; everything for admins. */
  async listTransfers(actor: Actor, args: TransfersArgs): Promise<Connection<Transfer>> {
    this.access.requireAuthenticated(actor);
    if (args.accountId)
      await this.access.requireAccount(actor, args.accountId, (facts) => this.access.mayReadHistory(actor, facts));
    else if (args.currencyId) await this.requireCurrencyAuditor(actor, args.currencyId);
    else this.access.requireAdmin(actor);
    return this.ledger.listTransfers(args);
  }

  async trialBalance(actor: Actor, currencyId: string): Promise<TrialBalance> {
    await this.requireCurrencyAuditor(actor, currencyId);
    return (await this.ledger.trialBalance(currencyId))!;
  }

  async statement(actor: Actor, account: Account, args: DateRangePageArgs): Promise<Connection<Posting>> {
    await this.access.requireAccount(actor, account.id, (facts) => this.access.mayReadHistory(actor, facts));
    return this.ledger.statement(account.id, args);
  }

  async balanceAt(actor: Actor, account: Account, at: Date): Promise<bigint> {
    await this.access.requireAccount(actor, account.id, (facts) => this.access.mayReadHistory(actor, facts));
    return this.ledger.balanceAt(account.id, at);
  }

  /** A transfer's side is shown only to those who may see that account: a payer does not see the payee's balance. */
  async mayReadAccount(actor: Actor, accountId: string): Promise<boolean> {
    const facts = await this.access.accountFacts(actor, accountId);
    return facts !== null && (await this.access.mayReadAccount(actor, facts));
  }

  /**
   * An account reached through a field of another object: what `account(id)` would show this actor,
   * else null. Batched per request, the facts that decide as much as the accounts themselves.
   */
  async visibleAccount(actor: Actor, accountId: string, requestContext: object): Promise<Account | null> {
    if (!(await this.mayReadAccount(actor, accountId))) return null;
    return this.ledger.loadersFor(requestContext).account.load(accountId);
  }

  /** A transfer reached through a field of another object: what `transfer(id)` would show this actor, else null. */
  async visibleTransfer(actor: Actor, transferId: string, requestContext: object): Promise<Transfer | null> {
    const transfer = await this.ledger.loadersFor(requestContext).transfer.load(transferId);
    return transfer && (await this.readableDebit(actor, transfer)) ? transfer : null;
  }

  /** Only the postings of accounts whose history the actor may read: a posting carries its account's running balance. */
  async visiblePostings(actor: Actor, postings: Posting[]): Promise<Posting[]> {
    const visible = await Promise.all(
      postings.map(async (posting) => {
        const facts = await this.access.accountFacts(actor, posting.accountId);
        return facts !== null && (await this.access.mayReadHistory(actor, facts));
      }),
    );
    return postings.filter((_, index) => visible[index]);
  }

  private async changeStatus(
    actor: Actor,
    input: AccountStatusInput,
    status: AccountStatus,
    action: string,
  ): Promise<AccountPayload> {
    const { facts, role } = await this.managedAccount(actor, input.accountId);
    const reason = input.reason.trim();
    if (!reason) return refusedAccount(AccountErrorCode.REASON_REQUIRED);
    return this.db.transaction(async () => {
      const change = await this.ledger.changeAccountStatus(facts.accountId, status);
      if (!change.refusal)
        await this.audit.record(actor, {
          as: role,
          action,
          communityId: facts.communityId,
          targetType: 'account',
          targetId: facts.accountId,
          reason,
        });
      return toAccountPayload(change);
    });
  }

  private async managedAccount(actor: Actor, accountId: string): Promise<{ facts: AccountFacts; role: ManagerRole }> {
    const facts = await this.access.requireAccount(
      actor,
      accountId,
      async (account) => (await this.access.managerRole(actor, account.communityId)) !== null,
    );
    return { facts, role: (await this.access.managerRole(actor, facts.communityId))! };
  }

  private async debitable(actor: Actor, accountId: string): Promise<{ facts: AccountFacts; right: DebitRight }> {
    const facts = await this.access.requireAccount(
      actor,
      accountId,
      async (account) => (await this.access.debitRight(actor, account)) !== null,
    );
    return { facts, right: (await this.access.debitRight(actor, facts))! };
  }

  private async requireCurrencyAuditor(actor: Actor, currencyId: string): Promise<void> {
    this.access.requireAuthenticated(actor);
    const community = await this.access.communityOfCurrency(currencyId);
    if (!community) throw forbidden();
    await this.access.requireAuditor(actor, community.communityId);
  }

  /** A transfer the actor may see: a party's holder, or an auditor of its community. Missing and hidden look alike. */
  private async readableTransfer(
    actor: Actor,
    transferId: string,
  ): Promise<{ transfer: Transfer; debit: AccountFacts }> {
    this.access.requireAuthenticated(actor);
    const transfer = isDatabaseId(transferId) ? await this.ledger.findTransfer(transferId) : null;
    const debit = transfer && (await this.readableDebit(actor, transfer));
    if (!transfer || !debit) throw forbidden();
    return { transfer, debit };
  }

  /** The transfer's debit account, when the actor may read the history of either side (a party's holder, or an auditor); else null. */
  private async readableDebit(actor: Actor, transfer: Transfer): Promise<AccountFacts | null> {
    const [debit, credit] = await Promise.all([
      this.access.accountFacts(actor, transfer.debitAccountId),
      this.access.accountFacts(actor, transfer.creditAccountId),
    ]);
    const visible =
      (debit && (await this.access.mayReadHistory(actor, debit))) ||
      (credit && (await this.access.mayReadHistory(actor, credit)));
    return visible ? debit : null;
  }

  /** A hold the actor may see, and that no workflow owns: an exchange's hold settles only through the exchange's own steps. */
  private async resolvableHold(actor: Actor, pendingTransferId: string): Promise<Transfer> {
    const { transfer } = await this.readableTransfer(actor, pendingTransferId);
    if (transfer.code === SYSTEM_CODES.EXCHANGE_HOLD) throw forbidden();
    return transfer;
  }

  /** Runs a manager's write with its audit row in one transaction; the row is written only when money actually moved. */
  private audited(audit: TransferAudit, write: () => Promise<CreateTransferPayload>): Promise<CreateTransferPayload> {
    return this.db.transaction(async () => {
      const payload = await write();
      if (payload.transfer && !payload.replayed)
        await this.audit.recordAll([transferAuditEntry(audit, payload.transfer)]);
      return payload;
    });
  }
}

function limitsOf(account: Account): { lowerLimit: string | null; upperLimit: string | null } {
  return { lowerLimit: account.lowerLimit?.toString() ?? null, upperLimit: account.upperLimit?.toString() ?? null };
}
