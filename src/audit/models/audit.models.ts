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

  @Field(() => ID, {
    nullable: true,
    description: 'The member who acted; null for the system or a partner app acting as itself.',
  })
  actorMemberId: string | null;

  @Field(() => AuditActorRole)
  actorRole: AuditActorRole;

  @Field(() => ID, { nullable: true, description: 'The partner app the action came through, if any.' })
  partnerAppId: string | null;

  @Field({ description: 'What was done, e.g. ledger.grant, membership.suspend, exchange.resolved.' })
  action: string;

  @Field(() => ID, { nullable: true, description: 'Null for server-wide actions (an admin made, sessions ended).' })
  communityId: string | null;

  @Field({
    description:
      'What it was done to: transfer, account, membership, exchange, listing, community, partner_app, member.',
  })
  targetType: string;

  @Field()
  targetId: string;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => JSONObjectScalar, { description: 'Before and after, amounts, and other particulars of the action.' })
  details: Record<string, unknown>;
}

@ObjectType({
  description:
    'Audit entries, newest first. No totalCount: the audit log runs to millions of rows; narrow it by action, actor, target or dates.',
})
export class AuditEntryConnection extends ConnectionType(AuditEntry, 'AuditEntry') {}
