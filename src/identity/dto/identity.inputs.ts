import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PartnerScope } from '../../access/actor.js';

@InputType()
export class LoginInput {
  @Field()
  @IsString()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MaxLength(200)
  password: string;
}

@InputType()
export class RefreshTokensInput {
  @Field()
  @IsString()
  @MaxLength(100)
  refreshToken: string;
}

@InputType()
export class RegisterPartnerAppInput {
  @Field()
  @Length(1, 100)
  name: string;

  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field(() => [PartnerScope])
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsEnum(PartnerScope, { each: true })
  scopes: PartnerScope[];
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @IsString()
  @MaxLength(200)
  currentPassword: string;

  @Field()
  @Length(10, 200, { message: 'newPassword must be 10 to 200 characters' })
  newPassword: string;
}

@ArgsType()
export class RevokeMemberSessionsArgs {
  @Field(() => ID)
  @IsString()
  memberId: string;

  @Field({ description: 'Why, for the audit log.' })
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class RevokePartnerAppArgs {
  @Field(() => ID)
  @IsString()
  partnerAppId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'Which of your sessions signOut ends.' })
export class SignOutInput {
  @Field({ defaultValue: false, description: 'True: every session of yours, on every device. False: only this one.' })
  @IsBoolean()
  everywhere: boolean;
}

@InputType({ description: 'The session endSession ends.' })
export class EndSessionInput {
  @Field(() => ID, { description: 'One of your live sessions, from `sessions`.' })
  @IsDatabaseId()
  sessionId: string;
}

@InputType({ description: 'Whose sessions signOutMember ends, and why.' })
export class SignOutMemberInput {
  @Field(() => ID, { description: 'The member whose every session ends.' })
  @IsDatabaseId()
  memberId: string;

  @Field({ description: 'Why, for the audit log: 1 to 500 characters.' })
  @Length(1, 500)
  reason: string;
}

@InputType({ description: 'A partner app to register for a community, with the scopes it may use.' })
export class CreatePartnerAppInput extends RegisterPartnerAppInput {}

@InputType({ description: 'The partner app whose key replacePartnerAppKey replaces.' })
export class ReplacePartnerAppKeyInput {
  @Field(() => ID, { description: 'A live partner app of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;
}

@InputType({ description: 'The partner app deregisterPartnerApp revokes, and why.' })
export class DeregisterPartnerAppInput {
  @Field(() => ID, { description: 'A partner app of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log: at most 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'The partner app you give or withdraw your consent to.' })
export class PartnerAppConsentInput {
  @Field(() => ID, { description: 'The partner app, as its consent page or `partnerConsents` names it.' })
  @IsDatabaseId()
  partnerAppId: string;
}
