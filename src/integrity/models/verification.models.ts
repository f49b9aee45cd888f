import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';

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

@ObjectType({
  description:
    'Verification runs, newest first. No totalCount: runs are scheduled through every day, tens of thousands a year per community: a set without bound.',
})
export class VerificationRunConnection extends ConnectionType(VerificationRun, 'VerificationRun') {}
