import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsString, Length, MaxLength } from 'class-validator';
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
