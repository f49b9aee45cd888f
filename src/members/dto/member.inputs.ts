import { ArgsType, Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { MemberKind, MembershipStatus } from '../models/member-enums.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

const PASSWORD_RULE = 'password must be 10 to 200 characters';

@InputType({ isAbstract: true })
export class ProfileInput {
  @Field({ nullable: true, description: 'The name others see, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100)
  displayName?: string;

  @Field({ nullable: true, description: 'A few words about yourself, at most 2000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  bio?: string;

  @Field({ nullable: true, description: 'Where you are, for example Mapo-gu; at most 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  district?: string;

  @Field(() => [String], { nullable: true, description: 'What you offer, up to 30 entries of 1 to 60 characters.' })
  @IsOptional()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  skills?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Words to be found by, up to 30 entries of 1 to 60 characters.',
  })
  @IsOptional()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true, description: 'Language codes, e.g. ko, en.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { each: true, message: 'each language must be a code such as ko or en' })
  languages?: string[];
}

@InputType({ description: 'The profile fields to change; omitted ones stay as they are.' })
export class UpdateProfileInput extends ProfileInput {}

@InputType({ description: 'Your profile as updateMemberProfile sets it: a field left out stays as it is.' })
export class UpdateMemberProfileInput extends ProfileInput {}

@InputType({ description: 'The community requestMembership asks to join.' })
export class RequestMembershipInput {
  @GlobalIdInput('Community', { description: 'The community; COMMUNITY_NOT_FOUND when there is none with this id.' })
  @IsString()
  communityId: string;
}

@InputType({ description: "A new member's login and profile." })
export class RegisterInput extends ProfileInput {
  @Field({
    description:
      'Your login, unique on this server; at most 254 characters. Only you and the managers of your communities see it.',
  })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: '10 to 200 characters, and not easily guessed.' })
  @Length(10, 200, { message: PASSWORD_RULE })
  password: string;

  @Field({ description: 'The name others see, 1 to 100 characters.' })
  @Length(1, 100)
  declare displayName: string;

  @Field(() => MemberKind, {
    defaultValue: MemberKind.PERSON,
    description: 'Whether you are a person or an organisation.',
  })
  @IsEnum(MemberKind)
  kind: MemberKind = MemberKind.PERSON;

  @GlobalIdInput('Community', { nullable: true, description: 'Ask to join this community at once (pending approval).' })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;
}

@InputType({ description: 'The invitation token a coordinator gave you, and the password you choose.' })
export class AcceptInvitationInput {
  @Field({ description: 'The invitationToken from inviteMember; valid 7 days, usable once.' })
  @IsString()
  @MaxLength(100)
  token: string;

  @Field({ description: 'Your new password: 10 to 200 characters, and not easily guessed.' })
  @Length(10, 200, { message: PASSWORD_RULE })
  password: string;
}

@InputType({ description: 'Someone new to bring into a community, approved at once.' })
export class InviteMemberInput {
  @GlobalIdInput('Community', { description: 'The community the invitee joins.' })
  @IsDatabaseId()
  communityId: string;

  @Field({ description: "The invitee's email, their login; no member may have it already." })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: "The invitee's name as others see it, 1 to 100 characters." })
  @Length(1, 100)
  displayName: string;

  @Field(() => MemberKind, {
    defaultValue: MemberKind.PERSON,
    description: 'Whether the invitee is a person or an organisation.',
  })
  @IsEnum(MemberKind)
  kind: MemberKind = MemberKind.PERSON;
}

@InputType({ description: 'A membership to act on, and why.' })
export class MembershipActionInput {
  @GlobalIdInput('Membership', {
    description: 'The membership the action is on; each mutation says the status it must have.',
  })
  @IsDatabaseId()
  membershipId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log; required to suspend.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'A membership to close, and how its balance is settled.' })
export class CloseMembershipInput extends MembershipActionInput {
  @Field({
    defaultValue: false,
    description: 'Coordinators: move a non-zero balance to (or a debt from) the community pool first.',
  })
  @IsBoolean()
  settleToPool: boolean = false;
}

@InputType({ description: 'A member to make a coordinator of a community.' })
export class AppointCoordinatorInput {
  @GlobalIdInput('Community', { description: 'The community they will coordinate.' })
  @IsDatabaseId()
  communityId: string;

  @GlobalIdInput('Member', {
    description: 'The member to appoint; a membership is opened and approved for them if they have none.',
  })
  @IsDatabaseId()
  memberId: string;
}

@ArgsType()
export class MembershipsArgs extends PageArgs {
  @GlobalIdInput('Community', { description: 'The community whose memberships to list.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => MembershipStatus, {
    nullable: true,
    description: 'Only memberships in this state; every state when omitted.',
  })
  @IsOptional()
  @IsEnum(MembershipStatus)
  status?: MembershipStatus;

  @Field({
    nullable: true,
    description: 'Only members whose display name or email contains this text (any case); every one when omitted.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  query?: string;
}

@ArgsType()
export class PayeesArgs extends PageArgs {
  @GlobalIdInput('Community', { description: 'The community whose members to list: one you are an active member of.' })
  @IsDatabaseId()
  communityId: string;

  @Field({
    nullable: true,
    description: 'Only members whose display name contains this text (any case); every one when omitted.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}
