import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsBoolean, IsEmail, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
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
  @Field({ defaultValue: false, description: 'Coordinators: move a non-zero balance to (or a debt from) the community pool first.' })
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

@InputType()
export class CommunityPoliciesInput {
  @Field(() => AmountScalar, { nullable: true })
  @Allow()
  starterGrant?: bigint;

  @Field(() => AmountScalar, { nullable: true })
  @Allow()
  defaultLowerLimit?: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'Send clearDefaultUpperLimit to remove the cap.' })
  @Allow()
  defaultUpperLimit?: bigint;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  clearDefaultUpperLimit?: boolean;

  @Field(() => Int, { nullable: true, description: '60 to 7776000 (90 days).' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(7776000)
  autoConfirmSeconds?: number;

  @Field(() => Int, { nullable: true, description: '60 to 604800 (7 days).' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(604800)
  holdTimeoutSeconds?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  balancesVisible?: boolean;
}

@InputType()
export class CreateCommunityInput {
  @Field({ description: 'Lower-case letters, digits and dashes, e.g. mapo-time-bank.' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'slug must be 2-64 lower-case letters, digits and dashes' })
  slug: string;

  @Field()
  @Length(1, 200)
  name: string;

  @Field({ description: 'The currency code, e.g. HOUR.' })
  @Matches(/^[A-Z][A-Z0-9]{1,15}$/, { message: 'currencyCode must be 2-16 upper-case letters and digits' })
  currencyCode: string;

  @Field()
  @Length(1, 100)
  currencyName: string;

  @Field()
  @Length(1, 16)
  currencySymbol: string;

  @Field(() => Int, { description: '60 for hours counted in minutes.' })
  @IsInt()
  @Min(1)
  @Max(1000000)
  minorUnitsPerUnit: number;

  @Field(() => CommunityPoliciesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommunityPoliciesInput)
  policies?: CommunityPoliciesInput;
}

@InputType()
export class UpdateCommunityPoliciesInput {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => CommunityPoliciesInput)
  @ValidateNested()
  @Type(() => CommunityPoliciesInput)
  policies: CommunityPoliciesInput;

  @Field({ description: 'Why, for the audit log.' })
  @Length(1, 500)
  reason: string;
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
