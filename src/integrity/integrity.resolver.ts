import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Account, Currency, Transfer } from '../ledger/models/ledger.models.js';
import { CheckpointsService } from './checkpoints.service.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import { CheckpointsArgs, CommunityLedgerInput, StatementProofArgs } from './dto/integrity.inputs.js';
import {
  LedgerCheckpoint,
  LedgerCheckpointConnection,
  RecordLedgerCheckpointsPayload,
  StatementProof,
  StatementProofEntry,
} from './models/integrity.models.js';
import { ProofsService } from './proofs.service.js';

@Resolver(() => LedgerCheckpoint)
export class IntegrityResolver {
  constructor(
    private readonly checkpoints: CheckpointsService,
    private readonly proofs: ProofsService,
    private readonly ledger: LedgerService,
  ) {}

  @Query(() => LedgerCheckpointConnection, {
    description: "A community's ledger checkpoints, newest first. Its members and auditors.",
  })
  ledgerCheckpoints(
    @CurrentActor() actor: Actor,
    @Args() args: CheckpointsArgs,
  ): Promise<Connection<LedgerCheckpoint>> {
    return this.checkpoints.list(actor, args);
  }

  @Mutation(() => [LedgerCheckpoint], {
    description:
      "Records a checkpoint of each of the community's currencies, through what is chained so far (the chain trails the ledger by a second or two). Coordinators and admins; audited.",
    deprecationReason: replacedBy('recordLedgerCheckpoints'),
  })
  recordLedgerCheckpoint(
    @CurrentActor() actor: Actor,
    @Args('communityId', { type: () => ID, description: 'The community whose currencies to checkpoint.' })
    communityId: string,
  ): Promise<LedgerCheckpoint[]> {
    return this.checkpoints.recordOnDemand(actor, communityId);
  }

  @Mutation(() => RecordLedgerCheckpointsPayload, {
    description:
      "Records a checkpoint of each of the community's currencies, through what is chained so far (the chain trails the ledger by a second or two). Coordinators and admins; audited.",
  })
  async recordLedgerCheckpoints(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community whose currencies to checkpoint.' }) input: CommunityLedgerInput,
  ): Promise<RecordLedgerCheckpointsPayload> {
    return { checkpoints: await this.checkpoints.recordOnDemand(actor, input.communityId), userErrors: [] };
  }

  @Query(() => StatementProof, {
    nullable: true,
    description:
      "Proof that the account's statement is in a checkpoint. The holder and the community's auditors; null before the first checkpoint.",
  })
  statementProof(@CurrentActor() actor: Actor, @Args() args: StatementProofArgs): Promise<StatementProof | null> {
    return this.proofs.statementProof(actor, args);
  }

  @ResolveField(() => Currency, {
    description: 'The currency whose chain it checkpoints (the object of `currencyId`). Public.',
  })
  currency(@Parent() checkpoint: LedgerCheckpoint, @Context() context: object): Promise<Currency> {
    return this.ledger.currencyNamedBy(context, checkpoint.currencyId);
  }
}

/** A proof is for its account's holder and auditors: the account, and the transfers of its statement, are theirs to see. */
@Resolver(() => StatementProof)
export class StatementProofResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Account, { description: 'The account proved (the object of `accountId`), as it is now.' })
  account(@Parent() proof: StatementProof, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, proof.accountId);
  }
}

@Resolver(() => StatementProofEntry)
export class StatementProofEntryResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Transfer, { description: 'The transfer this entry commits to (the object of `transferId`).' })
  transfer(@Parent() entry: StatementProofEntry, @Context() context: object): Promise<Transfer> {
    return this.ledger.transferNamedBy(context, entry.transferId);
  }
}
