import { Args, Context, Info, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from '../../libs/graphql/selection.js';
import { Connection } from '../../libs/graphql/pagination.js';
import { HeavyReads } from '../../libs/database/bulkhead.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { AmountScalar } from '../../libs/graphql/scalars.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { AuthorizedLedgerService } from './authorized-ledger.service.js';
import {
  AccountsArgs,
  AccountStatusInput,
  CreateTransferInput,
  CreateTransfersInput,
  GrantCreditsInput,
  PostPendingTransferInput,
  ReverseTransferInput,
  SetAccountLimitsInput,
  TransfersArgs,
  VoidPendingTransferInput,
} from './dto/ledger.inputs.js';
import { DateRangePageArgs } from '../../libs/graphql/pagination.js';
import { resumeAfter } from '../events/events.service.js';
import { LedgerService } from './ledger.service.js';
import { AccountActivity, AccountActivityArgs } from './models/account-activity.models.js';
import {
  Account,
  AccountConnection,
  AccountPayload,
  CreateTransferPayload,
  CreateTransfersPayload,
  Currency,
  Posting,
  PostingConnection,
  Transfer,
  TransferConnection,
  TrialBalance,
} from './models/ledger.models.js';
import { PendingStatus, TransferKind } from './models/ledger-enums.js';
import { GlobalIdArg } from '../../libs/graphql/global-id.js';

const MANAGERS_ONLY = "Coordinators of the account's community, and admins; audited.";

@Resolver()
export class LedgerResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
  ) {}

  @Subscription(() => AccountActivity, {
    description:
      'Every transfer that posts to one account, and every hold placed on it or released, as it happens, with the balances that follow. Your own account, or one you audit; FORBIDDEN otherwise, and no event of it is ever sent.',
    resolve: (activity: AccountActivity) => activity,
  })
  accountActivity(
    @CurrentActor() actor: Actor,
    @Args() args: AccountActivityArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AsyncIterableIterator<AccountActivity>> {
    return this.authorized.followAccount(actor, args.accountId, selectedFieldNames(info), resumeAfter(args.after));
  }

  @Mutation(() => CreateTransferPayload, {
    description:
      'Moves money between two accounts of one currency, exactly once per idempotency key. Members pay from their own accounts.',
  })
  createTransfer(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The transfer to write.' }) input: CreateTransferInput,
  ): Promise<CreateTransferPayload> {
    return this.authorized.createTransfer(actor, input);
  }

  @Mutation(() => CreateTransfersPayload, {
    description:
      "Up to 1000 transfers in one call: LINKED (all or none) or INDEPENDENT. From the caller's own accounts only.",
  })
  createTransfers(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The transfers to write, and whether they are linked.' }) input: CreateTransfersInput,
  ): Promise<CreateTransfersPayload> {
    return this.authorized.createTransfers(actor, input);
  }

  @Mutation(() => CreateTransferPayload, {
    description: 'Posts a pending transfer, in full or in part (the rest is released). At most once. By the payer.',
  })
  postPendingTransfer(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The pending transfer, and how much of it to post.' })
    input: PostPendingTransferInput,
  ): Promise<CreateTransferPayload> {
    return this.authorized.postPendingTransfer(actor, input);
  }

  @Mutation(() => CreateTransferPayload, {
    description: 'Releases a pending transfer. At most once. By the payer or the payee.',
  })
  voidPendingTransfer(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The pending transfer to release.' }) input: VoidPendingTransferInput,
  ): Promise<CreateTransferPayload> {
    return this.authorized.voidPendingTransfer(actor, input);
  }

  @Mutation(() => CreateTransferPayload, {
    description: `Writes the opposite of a posted transfer, linked to it; at most once per transfer. ${MANAGERS_ONLY}`,
  })
  reverseTransfer(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The transfer to reverse, and why.' }) input: ReverseTransferInput,
  ): Promise<CreateTransferPayload> {
    return this.authorized.reverseTransfer(actor, input);
  }

  @Mutation(() => CreateTransferPayload, {
    description: `Credits a member account from the issuance account or the pool. ${MANAGERS_ONLY}`,
  })
  grantCredits(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The account, the amount and where it comes from.' }) input: GrantCreditsInput,
  ): Promise<CreateTransferPayload> {
    return this.authorized.grantCredits(actor, input);
  }

  @Mutation(() => AccountPayload, { description: `Sets a member account's limits. ${MANAGERS_ONLY}` })
  setAccountLimits(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The account and its new limits.' }) input: SetAccountLimitsInput,
  ): Promise<AccountPayload> {
    return this.authorized.setAccountLimits(actor, input);
  }

  @Mutation(() => AccountPayload, {
    description: `Stops an account from sending or receiving until unfrozen. ${MANAGERS_ONLY}`,
  })
  freezeAccount(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The account, and why it is frozen.' }) input: AccountStatusInput,
  ): Promise<AccountPayload> {
    return this.authorized.freezeAccount(actor, input);
  }

  @Mutation(() => AccountPayload, { description: `Lets a frozen account send and receive again. ${MANAGERS_ONLY}` })
  unfreezeAccount(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The account, and why it is open again.' }) input: AccountStatusInput,
  ): Promise<AccountPayload> {
    return this.authorized.unfreezeAccount(actor, input);
  }

  @Query(() => Currency, { nullable: true, description: 'Public.' })
  currency(@GlobalIdArg('Currency', 'id', { description: "The currency's id." }) id: string): Promise<Currency | null> {
    return isDatabaseId(id) ? this.ledger.findCurrency(id) : Promise.resolve(null);
  }

  @Query(() => Account, {
    description: 'Your own account, or one you audit. FORBIDDEN for anything else, whether or not it exists.',
  })
  account(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Account', 'id', { description: "The account's id." }) id: string,
  ): Promise<Account> {
    return this.authorized.findAccount(actor, id);
  }

  @Query(() => AccountConnection, {
    description:
      "A currency's accounts, in order of opening: for its auditors, and for members where the community shows balances.",
  })
  accounts(@CurrentActor() actor: Actor, @Args() args: AccountsArgs): Promise<Connection<Account>> {
    return this.authorized.listAccounts(actor, args);
  }

  @Query(() => Transfer, {
    description: 'A transfer you are party to, or one you audit. FORBIDDEN otherwise, whether or not it exists.',
  })
  transfer(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Transfer', 'id', { description: "The transfer's id." }) id: string,
  ): Promise<Transfer> {
    return this.authorized.findTransfer(actor, id);
  }

  @Query(() => TransferConnection, {
    description:
      "Transfers, newest first: one account's for its holder, a currency's for its auditors, all for admins.",
  })
  transfers(@CurrentActor() actor: Actor, @Args() args: TransfersArgs): Promise<Connection<Transfer>> {
    return this.authorized.listTransfers(actor, args);
  }

  @Query(() => TrialBalance, {
    description: "A currency's balances summed per account kind; the total must be zero. For its auditors.",
  })
  trialBalance(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Currency', 'currencyId', { description: 'The currency to sum.' }) currencyId: string,
  ): Promise<TrialBalance> {
    return this.authorized.trialBalance(actor, currencyId);
  }
}

/** The fields of an account's activity that are read from the ledger: read before it is sent, if the selection names them. */
@Resolver(() => AccountActivity)
export class AccountActivityResolver {
  @ResolveField(() => Transfer, { description: 'The transfer the event is about.' })
  transfer(@Parent() activity: AccountActivity): Promise<Transfer> {
    return activity.transfer();
  }

  @ResolveField(() => Account, { description: 'The account, as it stood when this was sent.' })
  account(@Parent() activity: AccountActivity): Promise<Account> {
    return activity.account();
  }

  @ResolveField(() => AmountScalar, {
    description:
      "The account's balance when this was sent: at or after this event (events that come in a burst may show the same figure; a posting's balanceAfter is exact to it).",
  })
  async balance(@Parent() activity: AccountActivity): Promise<bigint> {
    return (await activity.account()).balance;
  }

  @ResolveField(() => AmountScalar, {
    description: 'What could still be spent when this was sent: balance - pendingDebits.',
  })
  async availableBalance(@Parent() activity: AccountActivity): Promise<bigint> {
    return (await activity.account()).availableBalance;
  }
}

@Resolver(() => Account)
export class AccountResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
    private readonly heavyReads: HeavyReads,
  ) {}

  @ResolveField(() => Currency, {
    description: "The currency the account holds; its amounts are in this currency's minor units.",
  })
  async currency(@Parent() account: Account, @Context() context: object): Promise<Currency> {
    return (await this.ledger.loadersFor(context).currency.load(account.currencyId))!;
  }

  @ResolveField(() => AmountScalar, {
    description: 'The balance as of an instant, from the postings up to it. For the holder and auditors.',
  })
  balanceAt(
    @CurrentActor() actor: Actor,
    @Parent() account: Account,
    @Args('at', { type: () => Date, description: 'The instant; postings made at it or before count.' }) at: Date,
  ): Promise<bigint> {
    return this.authorized.balanceAt(actor, account, at);
  }

  @ResolveField(() => PostingConnection, {
    description: 'Postings with running balances, newest first. For the holder and auditors.',
  })
  statement(
    @CurrentActor() actor: Actor,
    @Parent() account: Account,
    @Args() args: DateRangePageArgs,
  ): Promise<Connection<Posting>> {
    const page = (): Promise<Connection<Posting>> => this.authorized.statement(actor, account, args);
    // Without dates, a page is the next `first` lines by the (account, version) index, however long
    // the history: a light read, like any page. Dates may make it scan far for few lines: a heavy one.
    return args.from || args.to ? this.heavyReads.run(page) : page();
  }
}

@Resolver(() => Transfer)
export class TransferResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
  ) {}

  @ResolveField(() => Currency, { description: 'The currency of the amount; both accounts hold it.' })
  async currency(@Parent() transfer: Transfer, @Context() context: object): Promise<Currency> {
    return (await this.ledger.loadersFor(context).currency.load(transfer.currencyId))!;
  }

  @ResolveField(() => Account, {
    nullable: true,
    description: "Null when you may not see that account (another member's).",
  })
  debitAccount(
    @CurrentActor() actor: Actor,
    @Parent() transfer: Transfer,
    @Context() context: object,
  ): Promise<Account | null> {
    return this.visibleAccount(actor, transfer.debitAccountId, context);
  }

  @ResolveField(() => Account, {
    nullable: true,
    description: "Null when you may not see that account (another member's).",
  })
  creditAccount(
    @CurrentActor() actor: Actor,
    @Parent() transfer: Transfer,
    @Context() context: object,
  ): Promise<Account | null> {
    return this.visibleAccount(actor, transfer.creditAccountId, context);
  }

  @ResolveField(() => PendingStatus, {
    nullable: true,
    description: 'For a PENDING transfer: open, posted, voided or expired.',
  })
  async pendingStatus(@Parent() transfer: Transfer, @Context() context: object): Promise<PendingStatus | null> {
    if (transfer.kind !== TransferKind.PENDING) return null;
    const resolution = await this.resolution(transfer, context);
    // Past its timeout it is expired even before the sweeper has released it: it can no longer be posted.
    if (!resolution)
      return transfer.timeoutAt && transfer.timeoutAt <= new Date() ? PendingStatus.EXPIRED : PendingStatus.OPEN;
    if (resolution.kind === TransferKind.POST_PENDING) return PendingStatus.POSTED;
    return resolution.code === 'expired' ? PendingStatus.EXPIRED : PendingStatus.VOIDED;
  }

  @ResolveField(() => Transfer, {
    nullable: true,
    description: 'For a PENDING transfer: the transfer that posted or voided it.',
  })
  async resolution(@Parent() transfer: Transfer, @Context() context: object): Promise<Transfer | null> {
    if (transfer.kind !== TransferKind.PENDING) return null;
    const [resolution] = await this.ledger.loadersFor(context).resolutions.load(transfer.id);
    return resolution ?? null;
  }

  @ResolveField(() => Transfer, { nullable: true, description: 'The reversal of this transfer, if it was reversed.' })
  async reversal(@Parent() transfer: Transfer, @Context() context: object): Promise<Transfer | null> {
    const [reversal] = await this.ledger.loadersFor(context).reversals.load(transfer.id);
    return reversal ?? null;
  }

  @ResolveField(() => Transfer, {
    nullable: true,
    description:
      'For POST_PENDING and VOID_PENDING: the pending transfer resolved (the object of `pendingTransferId`). Null otherwise, or when you may not see it.',
  })
  pendingTransfer(
    @CurrentActor() actor: Actor,
    @Parent() transfer: Transfer,
    @Context() context: object,
  ): Promise<Transfer | null> {
    return this.visibleTransfer(actor, transfer.pendingTransferId, context);
  }

  @ResolveField(() => Transfer, {
    nullable: true,
    description:
      'For a reversal: the transfer it reverses (the object of `reversesTransferId`). Null otherwise, or when you may not see it.',
  })
  reversesTransfer(
    @CurrentActor() actor: Actor,
    @Parent() transfer: Transfer,
    @Context() context: object,
  ): Promise<Transfer | null> {
    return this.visibleTransfer(actor, transfer.reversesTransferId, context);
  }

  @ResolveField(() => [Posting], {
    description:
      'The debit posting, then the credit posting (none for PENDING and VOID_PENDING); only those on accounts whose history you may read.',
  })
  async postings(
    @CurrentActor() actor: Actor,
    @Parent() transfer: Transfer,
    @Context() context: object,
  ): Promise<Posting[]> {
    return this.authorized.visiblePostings(actor, await this.ledger.loadersFor(context).postings.load(transfer.id));
  }

  private visibleAccount(actor: Actor, accountId: string, context: object): Promise<Account | null> {
    return this.authorized.visibleAccount(actor, accountId, context);
  }

  private async visibleTransfer(actor: Actor, transferId: string | null, context: object): Promise<Transfer | null> {
    return transferId === null ? null : this.authorized.visibleTransfer(actor, transferId, context);
  }
}

/**
 * A posting is shown only to those who may read its account's history (`Transfer.postings` filters,
 * `Account.statement` refuses): so its own account and its transfer are always theirs to see too.
 */
@Resolver(() => Posting)
export class PostingResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
  ) {}

  @ResolveField(() => Account, { description: 'The account this posting is on (the object of `accountId`).' })
  async account(@Parent() posting: Posting, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, posting.accountId);
  }

  @ResolveField(() => Account, {
    nullable: true,
    description:
      "The account on the other side of the transfer (the object of `counterpartyAccountId`). Null when you may not see it: another member's, where balances are private.",
  })
  counterpartyAccount(
    @CurrentActor() actor: Actor,
    @Parent() posting: Posting,
    @Context() context: object,
  ): Promise<Account | null> {
    return this.authorized.visibleAccount(actor, posting.counterpartyAccountId, context);
  }

  @ResolveField(() => Transfer, {
    description: 'The transfer this posting is one side of (the object of `transferId`).',
  })
  async transfer(@Parent() posting: Posting, @Context() context: object): Promise<Transfer> {
    return this.ledger.transferNamedBy(context, posting.transferId);
  }
}
