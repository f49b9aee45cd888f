import { ArgsType, Field, InputType } from '@nestjs/graphql';
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
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { PartnerScope } from '../../access/actor.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

@InputType({ description: "A member's or admin's credentials." })
export class LoginInput {
  @Field({ description: 'The email the account was registered with; case does not matter.' })
  @IsString()
  @MaxLength(254)
  email: string;

  @Field({ description: 'The password, at most 200 characters.' })
  @IsString()
  @MaxLength(200)
  password: string;
}

@InputType({ description: 'A refresh token to exchange for new tokens.' })
export class RefreshTokensInput {
  @Field({ description: 'The refreshToken of the last AuthTokens; each one works once.' })
  @IsString()
  @MaxLength(100)
  refreshToken: string;
}

@InputType({ description: 'A partner app to register for a community.' })
export class RegisterPartnerAppInput {
  @Field({ description: "The app's name, 1 to 100 characters, as coordinators and members see it." })
  @Length(1, 100)
  name: string;

  @GlobalIdInput('Community', { description: 'The one community the app may work in.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => [PartnerScope], { description: "What the app's key allows: one or both scopes." })
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsEnum(PartnerScope, { each: true })
  scopes: PartnerScope[];
}

@InputType({ description: 'Your current password and the new one.' })
export class ChangePasswordInput {
  @Field({ description: 'The password you log in with now.' })
  @IsString()
  @MaxLength(200)
  currentPassword: string;

  @Field({ description: '10 to 200 characters, and not easily guessed.' })
  @Length(10, 200, { message: 'newPassword must be 10 to 200 characters' })
  newPassword: string;
}

@ArgsType()
export class RevokeMemberSessionsArgs {
  @GlobalIdInput('Member', { description: 'The member whose sessions end.' })
  @IsString()
  memberId: string;

  @Field({ description: 'Why, for the audit log.' })
  @Length(1, 500)
  reason: string;
}

@ArgsType()
export class RevokePartnerAppArgs {
  @GlobalIdInput('PartnerApp', { description: 'The partner app to revoke.' })
  @IsString()
  partnerAppId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@ArgsType()
export class PartnerAppsArgs extends PageArgs {
  @GlobalIdInput('Community', {
    description: 'The community whose apps to list; you must coordinate it, or be an admin.',
  })
  @IsDatabaseId()
  communityId: string;
}

@InputType({ description: 'Which of your sessions signOut ends.' })
export class SignOutInput {
  @Field({ defaultValue: false, description: 'True: every session of yours, on every device. False: only this one.' })
  @IsBoolean()
  everywhere: boolean;
}

@InputType({ description: 'The session endSession ends.' })
export class EndSessionInput {
  @GlobalIdInput('Session', { description: 'One of your live sessions, from `sessions`.' })
  @IsDatabaseId()
  sessionId: string;
}

@InputType({ description: 'Whose sessions signOutMember ends, and why.' })
export class SignOutMemberInput {
  @GlobalIdInput('Member', { description: 'The member whose every session ends.' })
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
  @GlobalIdInput('PartnerApp', { description: 'A live partner app of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;
}

@InputType({ description: 'The partner app deregisterPartnerApp revokes, and why.' })
export class DeregisterPartnerAppInput {
  @GlobalIdInput('PartnerApp', { description: 'A partner app of a community you coordinate.' })
  @IsDatabaseId()
  partnerAppId: string;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log: at most 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'The partner app you give or withdraw your consent to.' })
export class PartnerAppConsentInput {
  @GlobalIdInput('PartnerApp', { description: 'The partner app, as its consent page or `partnerConsents` names it.' })
  @IsDatabaseId()
  partnerAppId: string;
}
