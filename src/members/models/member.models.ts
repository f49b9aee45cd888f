import { Field, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { MemberErrorCode } from '../members.errors.js';
import { MemberKind, MembershipRole, MembershipStatus } from './member-enums.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@NodeType('Member', {
  description: 'A person or an organisation. The profile is visible to members of the communities they share.',
})
export class Member {
  id: string;

  email: string;

  @Field(() => MemberKind)
  kind: MemberKind;

  @Field()
  displayName: string;

  @Field()
  bio: string;

  @Field({ description: 'Where they are, e.g. Mapo-gu.' })
  district: string;

  @Field(() => [String], { description: 'What they offer, e.g. "bicycle repair".' })
  skills: string[];

  @Field(() => [String])
  tags: string[];

  @Field(() => [String], { description: 'Languages spoken, e.g. ko, en.' })
  languages: string[];

  @Field({ description: 'A server-wide administrator.' })
  isAdmin: boolean;

  @Field()
  createdAt: Date;
}

@NodeType('Membership', {
  description: "A member's standing in one community, with its own account in the community's currency.",
})
export class Membership {
  id: string;

  @GlobalIdField('Member')
  memberId: string;

  @GlobalIdField('Community')
  communityId: string;

  currencyId: string;

  @GlobalIdField('Account')
  accountId: string;

  @Field(() => MembershipRole)
  role: MembershipRole;

  @Field(() => MembershipStatus)
  status: MembershipStatus;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;
}

@ObjectType()
export class MembershipConnection extends ConnectionType(Membership, 'Membership') {}

@ObjectType()
export class MemberUserError {
  @Field(() => MemberErrorCode)
  code: MemberErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType()
export class MemberPayload {
  @Field(() => Member, { nullable: true })
  member: Member | null;

  @Field(() => [MemberUserError])
  userErrors: MemberUserError[];
}

@ObjectType()
export class MembershipPayload {
  @Field(() => Membership, { nullable: true })
  membership: Membership | null;

  @Field(() => [MemberUserError])
  userErrors: MemberUserError[];
}

@ObjectType()
export class InvitationPayload {
  @Field(() => Membership, { nullable: true, description: 'Approved at once: the invitation is the approval.' })
  membership: Membership | null;

  @Field(() => String, {
    nullable: true,
    description: 'Shown once: give it to the invitee, who sets a password with acceptInvitation. Valid 7 days.',
  })
  invitationToken: string | null;

  @Field(() => [MemberUserError])
  userErrors: MemberUserError[];
}
