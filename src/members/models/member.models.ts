import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { MemberErrorCode } from '../members.errors.js';
import { MemberKind, MembershipRole, MembershipStatus } from './member-enums.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

/** The description of a member reached through another object's field, beside its id. */
export const visibleMemberNote = (idField: string): string =>
  `The member of \`${idField}\`, as \`member(id)\` shows them to you: null when you may not see them.`;

@NodeType('Member', {
  idDescription: 'Names this member; memberships, listings and exchanges refer to them by this id.',
  description: 'A person or an organisation. The profile is visible to members of the communities they share.',
})
export class Member {
  id: string;

  email: string;

  @Field(() => MemberKind, { description: 'Whether the member is a person or an organisation.' })
  kind: MemberKind;

  @Field({ description: 'The name others see.' })
  displayName: string;

  @Field({ description: 'What the member says about themselves; empty when nothing.' })
  bio: string;

  @Field({ description: 'Where they are, e.g. Mapo-gu.' })
  district: string;

  @Field(() => [String], { description: 'What they offer, e.g. "bicycle repair".' })
  skills: string[];

  @Field(() => [String], { description: 'Words the member is found by.' })
  tags: string[];

  @Field(() => [String], { description: 'Languages spoken, e.g. ko, en.' })
  languages: string[];

  @Field({ description: 'A server-wide administrator.' })
  isAdmin: boolean;

  @Field({ description: 'When the member registered or was invited.' })
  createdAt: Date;
}

@NodeType('Membership', {
  idDescription: 'Names this membership: pass it to approve, suspend, reinstate or close it.',
  description: "A member's standing in one community, with its own account in the community's currency.",
})
export class Membership {
  id: string;

  @GlobalIdField('Member', { description: 'The member who holds it.' })
  memberId: string;

  @GlobalIdField('Community', { description: 'The community it is in.' })
  communityId: string;

  currencyId: string;

  @GlobalIdField('Account', {
    description: "The member's account in the community's currency, opened with the membership.",
  })
  accountId: string;

  @Field(() => MembershipRole, { description: 'What the member may do in the community.' })
  role: MembershipRole;

  @Field(() => MembershipStatus, { description: 'Whether the member may take part in the community now.' })
  status: MembershipStatus;

  @Field({ description: 'When the membership was opened: asked for, invited or appointed.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a coordinator approved it; null while it is pending.' })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed; null while it is not.' })
  closedAt: Date | null;
}

@ObjectType({
  description: "A community's memberships, oldest first.",
})
export class MembershipConnection extends ConnectionType(Membership, 'Membership', { totalCount: true }) {}

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class MemberUserError {
  @Field(() => MemberErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: MemberErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({ description: 'The new member, or why registration was refused.' })
export class MemberPayload {
  @Field(() => Member, { nullable: true, description: 'The member; null when refused.' })
  member: Member | null;

  @Field(() => [MemberUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: MemberUserError[];
}

@ObjectType({ description: 'The membership as changed, or why the change was refused.' })
export class MembershipPayload {
  @Field(() => Membership, { nullable: true, description: 'The membership after the action; null when refused.' })
  membership: Membership | null;

  @Field(() => [MemberUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: MemberUserError[];
}

@ObjectType({ description: "The invitee's membership and the token to hand them, or why the invitation was refused." })
export class InvitationPayload {
  @Field(() => Membership, { nullable: true, description: 'Approved at once: the invitation is the approval.' })
  membership: Membership | null;

  @Field(() => String, {
    nullable: true,
    description: 'Shown once: give it to the invitee, who sets a password with acceptInvitation. Valid 7 days.',
  })
  invitationToken: string | null;

  @Field(() => [MemberUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: MemberUserError[];
}
