import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

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
  valuesMap: {
    ADMIN: { description: 'A server administrator, acting on a community they do not coordinate or server-wide.' },
    COORDINATOR: { description: 'A coordinator of the community the action is in.' },
    MEMBER: { description: 'A member acting on what is their own, in person or through a partner app.' },
    PARTNER: { description: 'A partner app acting as itself, with its API key.' },
    SYSTEM: { description: 'The server itself: the demo seed, the bootstrap command, the sweepers.' },
  },
});

@NodeType('AuditEntry', {
  idDescription: 'Names this entry of the audit log.',
  description: 'One privileged action: who, acting as what, through which client, what, when and why.',
  node: false,
})
export class AuditEntry {
  id: string;

  @Field({ description: 'When the action was done, in the transaction of the act itself.' })
  createdAt: Date;

  @GlobalIdField('Member', {
    nullable: true,
    description: 'The member who acted; null for the system or a partner app acting as itself.',
  })
  actorMemberId: string | null;

  @Field(() => AuditActorRole, {
    description:
      'The capacity the actor acted in: a coordinator, an admin, a member for themselves, a partner app, or the server.',
  })
  actorRole: AuditActorRole;

  @GlobalIdField('PartnerApp', { nullable: true, description: 'The partner app the action came through, if any.' })
  partnerAppId: string | null;

  @Field({ description: 'What was done, e.g. ledger.grant, membership.suspend, exchange.resolved.' })
  action: string;

  @GlobalIdField('Community', {
    nullable: true,
    description: 'Null for server-wide actions (an admin made, sessions ended).',
  })
  communityId: string | null;

  @Field({
    description:
      'What it was done to: transfer, account, membership, exchange, listing, community, partner_app, member.',
  })
  targetType: string;

  @Field({ description: 'The id of what it was done to, of the kind `targetType` names.' })
  targetId: string;

  @Field(() => String, { nullable: true, description: 'The reason the actor gave; null when the action takes none.' })
  reason: string | null;

  @Field(() => JSONObjectScalar, { description: 'Before and after, amounts, and other particulars of the action.' })
  details: Record<string, unknown>;
}

@ObjectType({
  description:
    'Audit entries, newest first. No totalCount: the audit log runs to millions of rows; narrow it by action, actor, target or dates.',
})
export class AuditEntryConnection extends ConnectionType(AuditEntry, 'AuditEntry') {}
