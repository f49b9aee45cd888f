import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';

export enum AuditActorRole {
  ADMIN = 'admin',
  COORDINATOR = 'coordinator',
  MEMBER = 'member',
  PARTNER = 'partner',
  SYSTEM = 'system',
}
registerEnumType(AuditActorRole, {
  name: 'AuditActorRole',
  description: 'The capacity someone acted in.',
  valuesMap: { SYSTEM: { description: 'The server itself: the demo seed, the bootstrap command, the sweepers.' } },
});

@ObjectType({ description: 'One privileged action: who, acting as what, through which client, what, when and why.' })
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field()
  createdAt: Date;

  @Field(() => ID, { nullable: true, description: 'The member who acted; null for the system or a partner app acting as itself.' })
  actorMemberId: string | null;

  @Field(() => AuditActorRole)
  actorRole: AuditActorRole;

  @Field(() => ID, { nullable: true, description: 'The partner app the action came through, if any.' })
  partnerAppId: string | null;

  @Field({ description: 'What was done, e.g. ledger.grant, membership.suspend, exchange.resolved.' })
  action: string;

  @Field(() => ID, { nullable: true, description: 'Null for server-wide actions (an admin made, sessions ended).' })
  communityId: string | null;

  @Field({ description: 'What it was done to: transfer, account, membership, exchange, listing, community, partner_app, member.' })
  targetType: string;

  @Field()
  targetId: string;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => JSONObjectScalar, { description: 'Before and after, amounts, and other particulars of the action.' })
  details: Record<string, unknown>;
}

@ObjectType()
export class AuditEntryConnection extends ConnectionType(AuditEntry, 'AuditEntry') {}

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

@ObjectType({ description: "A run of the ledger's invariant check over one community. A failed run is an alert until acknowledged." })
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
