import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import {
  AccountsArgs, CreateTransferInput, CreateTransfersInput, DateRangePageArgs, PostPendingTransferInput, ReverseTransferInput, TransfersArgs,
  VoidPendingTransferInput,
} from './dto/ledger.inputs.js';
import { LedgerService } from './ledger.service.js';
import {
  Account, AccountConnection, Community, CreateTransferPayload, CreateTransfersPayload, Currency, Posting, PostingConnection, Transfer,
  TransferConnection, TrialBalance,
} from './models/ledger.models.js';
import { PendingStatus, TransferKind } from './models/ledger-enums.js';
import { AmountScalar } from '../../libs/graphql/scalars.js';

/** An id that is not a positive bigint cannot name a row: answer "not found" without asking the database. */
function lookup<T>(id: string, find: (id: string) => Promise<T | null>): Promise<T | null> {
  return isDatabaseId(id) ? find(id) : Promise.resolve(null);
}

@Resolver()
export class LedgerResolver {
  constructor(private readonly ledger: LedgerService) {}

  @Mutation(() => CreateTransferPayload, { description: 'Moves money between two accounts of one currency, exactly once per idempotency key.' })
  createTransfer(@Args('input') input: CreateTransferInput): Promise<CreateTransferPayload> {
    return this.ledger.createTransfer(input);
  }

  @Mutation(() => CreateTransfersPayload, { description: 'Up to 1000 transfers in one call: LINKED (all or none) or INDEPENDENT.' })
  createTransfers(@Args('input') input: CreateTransfersInput): Promise<CreateTransfersPayload> {
    return this.ledger.createTransfers(input);
  }

  @Mutation(() => CreateTransferPayload, { description: 'Posts a pending transfer, in full or in part (the rest is released). At most once.' })
  postPendingTransfer(@Args('input') input: PostPendingTransferInput): Promise<CreateTransferPayload> {
    return this.ledger.postPendingTransfer(input);
  }

  @Mutation(() => CreateTransferPayload, { description: 'Releases a pending transfer. At most once.' })
  voidPendingTransfer(@Args('input') input: VoidPendingTransferInput): Promise<CreateTransferPayload> {
    return this.ledger.voidPendingTransfer(input);
  }

  @Mutation(() => CreateTransferPayload, { description: 'Writes the opposite of a posted transfer, linked to it; at most once per transfer.' })
  reverseTransfer(@Args('input') input: ReverseTransferInput): Promise<CreateTransferPayload> {
    return this.ledger.reverseTransfer(input);
  }

  @Query(() => [Community], { description: 'The communities hosted on this server.' })
  communities(): Promise<Community[]> {
    return this.ledger.listCommunities();
  }

  @Query(() => Currency, { nullable: true })
  currency(@Args('id', { type: () => ID }) id: string): Promise<Currency | null> {
    return lookup(id, (currencyId) => this.ledger.findCurrency(currencyId));
  }

  @Query(() => Account, { nullable: true })
  account(@Args('id', { type: () => ID }) id: string): Promise<Account | null> {
    return lookup(id, (accountId) => this.ledger.findAccount(accountId));
  }

  @Query(() => AccountConnection, { description: "A currency's accounts, in order of opening." })
  accounts(@Args() args: AccountsArgs): Promise<Connection<Account>> {
    return this.ledger.listAccounts(args);
  }

  @Query(() => Transfer, { nullable: true })
  transfer(@Args('id', { type: () => ID }) id: string): Promise<Transfer | null> {
    return lookup(id, (transferId) => this.ledger.findTransfer(transferId));
  }

  @Query(() => TransferConnection, { description: 'Transfers, newest first.' })
  transfers(@Args() args: TransfersArgs): Promise<Connection<Transfer>> {
    return this.ledger.listTransfers(args);
  }

  @Query(() => TrialBalance, { nullable: true, description: "A currency's balances summed per account kind; the total must be zero." })
  trialBalance(@Args('currencyId', { type: () => ID }) currencyId: string): Promise<TrialBalance | null> {
    return lookup(currencyId, (id) => this.ledger.trialBalance(id));
  }
}

@Resolver(() => Community)
export class CommunityResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => [Currency])
  currencies(@Parent() community: Community): Promise<Currency[]> {
    return this.ledger.currenciesOf(community.id);
  }
}

@Resolver(() => Account)
export class AccountResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Currency)
  async currency(@Parent() account: Account, @Context() context: object): Promise<Currency> {
    return (await this.ledger.loadersFor(context).currency.load(account.currencyId))!;
  }

  @ResolveField(() => AmountScalar, { description: 'The balance as of an instant, from the postings up to it.' })
  balanceAt(@Parent() account: Account, @Args('at', { type: () => Date }) at: Date): Promise<bigint> {
    return this.ledger.balanceAt(account.id, at);
  }

  @ResolveField(() => PostingConnection, { description: 'Postings with running balances, newest first.' })
  statement(@Parent() account: Account, @Args() args: DateRangePageArgs): Promise<Connection<Posting>> {
    return this.ledger.statement(account.id, args);
  }
}

@Resolver(() => Transfer)
export class TransferResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Currency)
  async currency(@Parent() transfer: Transfer, @Context() context: object): Promise<Currency> {
    return (await this.ledger.loadersFor(context).currency.load(transfer.currencyId))!;
  }

  @ResolveField(() => Account)
  async debitAccount(@Parent() transfer: Transfer, @Context() context: object): Promise<Account> {
    return (await this.ledger.loadersFor(context).account.load(transfer.debitAccountId))!;
  }

  @ResolveField(() => Account)
  async creditAccount(@Parent() transfer: Transfer, @Context() context: object): Promise<Account> {
    return (await this.ledger.loadersFor(context).account.load(transfer.creditAccountId))!;
  }

  @ResolveField(() => PendingStatus, { nullable: true, description: 'For a PENDING transfer: open, posted, voided or expired.' })
  async pendingStatus(@Parent() transfer: Transfer): Promise<PendingStatus | null> {
    if (transfer.kind !== TransferKind.PENDING) return null;
    const resolution = await this.ledger.resolutionOf(transfer.id);
    // Past its timeout it is expired even before the sweeper has released it: it can no longer be posted.
    if (!resolution) return transfer.timeoutAt && transfer.timeoutAt <= new Date() ? PendingStatus.EXPIRED : PendingStatus.OPEN;
    if (resolution.kind === TransferKind.POST_PENDING) return PendingStatus.POSTED;
    return resolution.code === 'expired' ? PendingStatus.EXPIRED : PendingStatus.VOIDED;
  }

  @ResolveField(() => Transfer, { nullable: true, description: 'For a PENDING transfer: the transfer that posted or voided it.' })
  resolution(@Parent() transfer: Transfer): Promise<Transfer | null> {
    return transfer.kind === TransferKind.PENDING ? this.ledger.resolutionOf(transfer.id) : Promise.resolve(null);
  }

  @ResolveField(() => Transfer, { nullable: true, description: 'The reversal of this transfer, if it was reversed.' })
  reversal(@Parent() transfer: Transfer): Promise<Transfer | null> {
    return this.ledger.reversalOf(transfer.id);
  }

  @ResolveField(() => [Posting], { description: 'The debit posting, then the credit posting (none for PENDING and VOID_PENDING).' })
  postings(@Parent() transfer: Transfer): Promise<Posting[]> {
    return this.ledger.postingsOfTransfer(transfer.id);
  }
}
