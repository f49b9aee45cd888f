import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

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

@NodeType('VerificationRun', {
  description: "A run of the ledger's invariant check over one community. A failed run is an alert until acknowledged.",
  node: false,
})
export class VerificationRun {
  id: string;

  @GlobalIdField('Community')
  communityId: string;

  @Field(() => VerificationTrigger)
  trigger: VerificationTrigger;

  @GlobalIdField('Member', { nullable: true })
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

  @GlobalIdField('Member', { nullable: true })
  acknowledgedBy: string | null;
}

@ObjectType()
export class VerificationRunConnection extends ConnectionType(VerificationRun, 'VerificationRun') {}
