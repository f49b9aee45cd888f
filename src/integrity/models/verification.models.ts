import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { userErrorType } from '../../../libs/graphql/user-errors.js';
import { IntegrityErrorCode } from '../integrity.errors.js';

@ObjectType({ description: 'One check of the ledger: passed, or the first offending rows.' })
export class VerificationCheck {
  @Field()
  name: string;

  @Field()
  passed: boolean;

  @Field(() => [JSONObjectScalar], { description: 'Up to 10 rows that break the rule; empty when it passed.' })
  offendingRows: Record<string, unknown>[];
}

export enum VerificationTrigger {
  ON_DEMAND = 'on_demand',
  SCHEDULED = 'scheduled',
}
registerEnumType(VerificationTrigger, { name: 'VerificationTrigger' });

@ObjectType({
  description: "A run of the ledger's invariant check over one community. A failed run is an alert until acknowledged.",
})
export class VerificationRun {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  communityId: string;

  @Field(() => VerificationTrigger)
  trigger: VerificationTrigger;

  @Field(() => ID, { nullable: true })
  requestedBy: string | null;

  @Field()
  startedAt: Date;

  @Field()
  finishedAt: Date;

  @Field()
  passed: boolean;

  @Field(() => [VerificationCheck])
  checks: VerificationCheck[];

  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => ID, { nullable: true })
  acknowledgedBy: string | null;
}

@ObjectType()
export class VerificationRunConnection extends ConnectionType(VerificationRun, 'VerificationRun') {}

export const IntegrityUserError = userErrorType(
  IntegrityErrorCode,
  'IntegrityUserError',
  "Why a verification run, a checkpoint or an alert's acknowledgement was refused: nothing was changed.",
);
export type IntegrityUserError = InstanceType<typeof IntegrityUserError>;

@ObjectType({ description: 'A verification run, or why the action on it was refused.' })
export class VerificationRunPayload {
  @Field(() => VerificationRun, { nullable: true, description: 'The run, as stored. Null when refused.' })
  run: VerificationRun | null;

  @Field(() => [IntegrityUserError], { description: 'Empty when the action was done.' })
  userErrors: IntegrityUserError[];
}
