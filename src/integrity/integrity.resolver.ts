import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CheckpointsService } from './checkpoints.service.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import { CheckpointsArgs, CommunityLedgerInput, StatementProofArgs } from './dto/integrity.inputs.js';
import {
  LedgerCheckpoint,
  LedgerCheckpointConnection,
  RecordLedgerCheckpointsPayload,
  StatementProof,
} from './models/integrity.models.js';
import { ProofsService } from './proofs.service.js';

@Resolver(() => LedgerCheckpoint)
export class IntegrityResolver {
  constructor(
    private readonly checkpoints: CheckpointsService,
    private readonly proofs: ProofsService,
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
    @Args('communityId', { type: () => ID }) communityId: string,
  ): Promise<LedgerCheckpoint[]> {
    return this.checkpoints.recordOnDemand(actor, communityId);
  }

  @Mutation(() => RecordLedgerCheckpointsPayload, {
    description:
      "Records a checkpoint of each of the community's currencies, through what is chained so far (the chain trails the ledger by a second or two). Coordinators and admins; audited.",
  })
  async recordLedgerCheckpoints(
    @CurrentActor() actor: Actor,
    @Args('input') input: CommunityLedgerInput,
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
}
