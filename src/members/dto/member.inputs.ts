import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
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

const PASSWORD_RULE = 'password must be 10 to 200 characters';

@InputType({ isAbstract: true })
export class ProfileInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 100)
  displayName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  bio?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(100)
  district?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  skills?: string[];

  @Field(() => [String], { nullable: true })
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

@InputType()
export class UpdateProfileInput extends ProfileInput {}

@InputType({ description: 'Your profile as updateMemberProfile sets it: a field left out stays as it is.' })
export class UpdateMemberProfileInput extends ProfileInput {}

@InputType({ description: 'The community requestMembership asks to join.' })
export class RequestMembershipInput {
  @Field(() => ID, { description: 'The community; COMMUNITY_NOT_FOUND when there is none with this id.' })
  @IsString()
  communityId: string;
}

@InputType()
export class RegisterInput extends ProfileInput {
  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field()
  @Length(10, 200, { message: PASSWORD_RULE })
  password: string;

  @Field()
  @Length(1, 100)
  declare displayName: string;

  @Field(() => MemberKind, { defaultValue: MemberKind.PERSON })
  @IsEnum(MemberKind)
  kind: MemberKind = MemberKind.PERSON;

  @Field(() => ID, { nullable: true, description: 'Ask to join this community at once (pending approval).' })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;
}

@InputType()
export class AcceptInvitationInput {
  @Field()
  @IsString()
  @MaxLength(100)
  token: string;

  @Field()
  @Length(10, 200, { message: PASSWORD_RULE })
  password: string;
}

@InputType()
export class InviteMemberInput {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field()
  @Length(1, 100)
  displayName: string;

  @Field(() => MemberKind, { defaultValue: MemberKind.PERSON })
  @IsEnum(MemberKind)
  kind: MemberKind = MemberKind.PERSON;
}

@InputType()
export class MembershipActionInput {
  @Field(() => ID)
  @IsDatabaseId()
  membershipId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log; required to suspend.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType()
export class CloseMembershipInput extends MembershipActionInput {
  @Field({
    defaultValue: false,
    description: 'Coordinators: move a non-zero balance to (or a debt from) the community pool first.',
  })
  @IsBoolean()
  settleToPool: boolean = false;
}

@InputType()
export class AppointCoordinatorInput {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => ID)
  @IsDatabaseId()
  memberId: string;
}

@ArgsType()
export class MembershipsArgs extends PageArgs {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => MembershipStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MembershipStatus)
  status?: MembershipStatus;
}
