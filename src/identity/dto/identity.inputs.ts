import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
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

@ArgsType()
export class PartnerAppsArgs extends PageArgs {
  @Field(() => ID, { description: 'The community whose apps to list; you must coordinate it, or be an admin.' })
  @IsDatabaseId()
  communityId: string;
}
