import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

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
  @GlobalIdInput('Community')
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
