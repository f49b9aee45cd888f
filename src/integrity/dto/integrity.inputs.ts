import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsOptional, Length, Max, Min, ValidateBy } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { Int64Scalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

@ArgsType()
export class CheckpointsArgs extends PageArgs {
  @GlobalIdInput('Community', { description: "The community whose currencies' checkpoints to list." })
  @IsDatabaseId()
  communityId: string;
}

/** A proof holds its entries in memory, and each carries its Merkle path: pages keep it bounded. */
export const MAX_PROOF_ENTRIES = 1000;

@ArgsType()
export class StatementProofArgs {
  @GlobalIdInput('Account', { description: 'The account whose statement to prove: yours, or one you audit.' })
  @IsDatabaseId()
  accountId: string;

  @GlobalIdInput('LedgerCheckpoint', {
    nullable: true,
    description: "A checkpoint of the account's currency; omitted, the latest.",
  })
  @IsOptional()
  @IsDatabaseId()
  checkpointId?: string;

  @Field(() => Int64Scalar, {
    defaultValue: 1n,
    description: "The account version to start at: a proof covers one page of the account's postings.",
  })
  @ValidateBy({
    name: 'isVersion',
    validator: {
      validate: (value) => typeof value === 'bigint' && value >= 1n,
      defaultMessage: () => 'fromVersion must be at least 1',
    },
  })
  fromVersion: bigint = 1n;

  @Field(() => Int, { defaultValue: 500, description: `How many postings, 1 to ${MAX_PROOF_ENTRIES}.` })
  @Min(1)
  @Max(MAX_PROOF_ENTRIES)
  first: number = 500;
}

@ArgsType()
export class VerificationRunsArgs extends PageArgs {
  @GlobalIdInput('Community', { description: 'The community whose runs to list.' })
  @IsDatabaseId()
  communityId: string;

  @Field({ defaultValue: false, description: 'Only failed runs nobody has acknowledged yet: the open alerts.' })
  @IsBoolean()
  openAlertsOnly: boolean = false;
}

@InputType({ description: 'The community whose ledger verifyLedger or recordLedgerCheckpoints acts on.' })
export class CommunityLedgerInput {
  @GlobalIdInput('Community', {
    description: 'A community you audit (verifyLedger) or coordinate (recordLedgerCheckpoints).',
  })
  @IsDatabaseId()
  communityId: string;
}

@InputType({ description: 'The failed run whose alert closeVerificationAlert closes, and what was done.' })
export class CloseVerificationAlertInput {
  @GlobalIdInput('VerificationRun', { description: 'A failed verification run of a community you coordinate.' })
  @IsDatabaseId()
  runId: string;

  @Field({ description: 'What was done about the failure, for the audit log: 1 to 1000 characters.' })
  @Length(1, 1000)
  note: string;
}
