import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import { CloseVerificationAlertInput, CommunityLedgerInput, VerificationRunsArgs } from './dto/integrity.inputs.js';
import { IntegrityErrorCode, integrityError } from './integrity.errors.js';
import { VerificationRun, VerificationRunConnection, VerificationRunPayload } from './models/verification.models.js';
import { VerificationService } from './verification.service.js';

@Resolver(() => VerificationRun)
export class VerificationResolver {
  constructor(
    private readonly verification: VerificationService,
    private readonly communities: CommunitiesService,
  ) {}

  @Mutation(() => VerificationRun, {
    description: `Runs the ledger's invariant check over a community now and stores the report. Its auditors. ${rateLimitNote(RATE_LIMITS.runLedgerVerification)}`,
    deprecationReason: replacedBy('verifyLedger'),
  })
  @RateLimited(RATE_LIMITS.runLedgerVerification)
  runLedgerVerification(
    @CurrentActor() actor: Actor,
    @Args('communityId', { type: () => ID, description: 'The community to verify.' }) communityId: string,
  ): Promise<VerificationRun> {
    return this.verification.runOnDemand(actor, communityId);
  }

  @Mutation(() => VerificationRunPayload, {
    description: `Runs the ledger's invariant check over a community now and stores the report (a failed run opens an alert). Its auditors. Its rate limit is runLedgerVerification's, counted together. ${rateLimitNote(RATE_LIMITS.runLedgerVerification)}`,
  })
  @RateLimited(RATE_LIMITS.runLedgerVerification)
  async verifyLedger(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community whose ledger to verify.' }) input: CommunityLedgerInput,
  ): Promise<VerificationRunPayload> {
    return { run: await this.verification.runOnDemand(actor, input.communityId), userErrors: [] };
  }

  @Query(() => VerificationRunConnection, {
    description: "A community's verification runs, newest first (scheduled hourly, and on demand). Its auditors.",
  })
  verificationRuns(
    @CurrentActor() actor: Actor,
    @Args() args: VerificationRunsArgs,
  ): Promise<Connection<VerificationRun>> {
    return this.verification.list(actor, args);
  }

  @Mutation(() => VerificationRun, {
    nullable: true,
    description:
      'Closes the alert of a failed run, saying what was done. Coordinators and admins; audited. Null if there was no open alert.',
    deprecationReason: replacedBy('closeVerificationAlert'),
  })
  acknowledgeVerificationAlert(
    @CurrentActor() actor: Actor,
    @Args('runId', { type: () => ID, description: 'The failed run whose alert to close.' }) runId: string,
    @Args('note', { description: 'What was found and done about it; kept in the audit log as the reason.' })
    note: string,
  ): Promise<VerificationRun | null> {
    return this.verification.acknowledge(actor, runId, note);
  }

  @ResolveField(() => Community, { description: 'The community checked (the object of `communityId`). Public.' })
  community(@Parent() run: VerificationRun, @Context() context: object): Promise<Community> {
    return this.communities.load(context, run.communityId);
  }

  @Mutation(() => VerificationRunPayload, {
    description:
      "Closes the open alert of a failed run, saying what was done. Coordinators of the run's community, and admins; audited. NO_OPEN_ALERT if the run has none.",
  })
  async closeVerificationAlert(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The run whose alert to close, and what was done about it.' })
    input: CloseVerificationAlertInput,
  ): Promise<VerificationRunPayload> {
    const run = await this.verification.acknowledge(actor, input.runId, input.note);
    return run
      ? { run, userErrors: [] }
      : { run: null, userErrors: [integrityError(IntegrityErrorCode.NO_OPEN_ALERT)] };
  }
}
