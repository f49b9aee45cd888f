import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { AccountsArgs, CreateTransferInput, DateRangePageArgs, TransfersArgs } from './dto/ledger.inputs.js';
import { LedgerService } from './ledger.service.js';
import {
  Account, AccountConnection, Community, CreateTransferPayload, Currency, Posting, PostingConnection, Transfer,
  TransferConnection, TrialBalance,
} from './models/ledger.models.js';

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
  async currency(@Parent() account: Account): Promise<Currency> {
    return (await this.ledger.findCurrency(account.currencyId))!;
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
  async currency(@Parent() transfer: Transfer): Promise<Currency> {
    return (await this.ledger.findCurrency(transfer.currencyId))!;
  }

  @ResolveField(() => Account)
  async debitAccount(@Parent() transfer: Transfer): Promise<Account> {
    return (await this.ledger.findAccount(transfer.debitAccountId))!;
  }

  @ResolveField(() => Account)
  async creditAccount(@Parent() transfer: Transfer): Promise<Account> {
    return (await this.ledger.findAccount(transfer.creditAccountId))!;
  }

  @ResolveField(() => [Posting], { description: 'The debit posting, then the credit posting.' })
  postings(@Parent() transfer: Transfer): Promise<Posting[]> {
    return this.ledger.postingsOfTransfer(transfer.id);
  }
}
