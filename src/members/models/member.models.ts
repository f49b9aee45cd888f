import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { MemberErrorCode } from '../members.errors.js';
import { MemberKind, MembershipRole, MembershipStatus } from './member-enums.js';

@ObjectType({
  description: 'A person or an organisation. The profile is visible to members of the communities they share.',
})
export class Member {
  @Field(() => ID)
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

@ObjectType({ description: "A member's standing in one community, with its own account in the community's currency." })
export class Membership {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  memberId: string;

  @Field(() => ID)
  communityId: string;

  currencyId: string;

  @Field(() => ID)
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

@ObjectType({ implements: () => [UserErrorInterface] })
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
