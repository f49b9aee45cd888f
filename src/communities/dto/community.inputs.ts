import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

@InputType({ description: 'Policies to set; an omitted field keeps its current value (or, on creation, its default).' })
export class CommunityPoliciesInput {
  @Field(() => AmountScalar, {
    nullable: true,
    description:
      'Paid from issuance when a membership is approved, in minor units; 0 or more, and within the default upper limit.',
  })
  @Allow()
  starterGrant?: bigint;

  @Field(() => AmountScalar, {
    nullable: true,
    description: 'The lower limit of new member accounts, in minor units: 0 or less; below 0 is a credit line.',
  })
  @Allow()
  defaultLowerLimit?: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'Send clearDefaultUpperLimit to remove the cap.' })
  @Allow()
  defaultUpperLimit?: bigint;

  @Field({
    nullable: true,
    description: 'True removes the default upper limit (no cap), whatever defaultUpperLimit says.',
  })
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

  @Field({
    nullable: true,
    description: "Whether active members may see each other's balances (never their statements).",
  })
  @IsOptional()
  @IsBoolean()
  balancesVisible?: boolean;
}

@InputType({ description: 'Admins: a new community, its currency and its policies.' })
export class CreateCommunityInput {
  @Field({ description: 'Lower-case letters, digits and dashes, e.g. mapo-time-bank.' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'slug must be 2-64 lower-case letters, digits and dashes' })
  slug: string;

  @Field({ description: 'Its name for people, 1 to 200 characters.' })
  @Length(1, 200)
  name: string;

  @Field({ description: 'The currency code, e.g. HOUR.' })
  @Matches(/^[A-Z][A-Z0-9]{1,15}$/, { message: 'currencyCode must be 2-16 upper-case letters and digits' })
  currencyCode: string;

  @Field({ description: 'The currency\'s name for people, 1 to 100 characters, for example "Hour".' })
  @Length(1, 100)
  currencyName: string;

  @Field({ description: 'The currency\'s sign, 1 to 16 characters, for example "h".' })
  @Length(1, 16)
  currencySymbol: string;

  @Field(() => Int, { description: '60 for hours counted in minutes.' })
  @IsInt()
  @Min(1)
  @Max(1000000)
  minorUnitsPerUnit: number;

  @Field(() => CommunityPoliciesInput, {
    nullable: true,
    description: 'The rules of the community; defaults apply to what is omitted.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommunityPoliciesInput)
  policies?: CommunityPoliciesInput;
}

@InputType({ description: "Coordinators: changes a community's policies. Audited." })
export class UpdateCommunityPoliciesInput {
  @GlobalIdInput('Community', { description: 'The community whose policies change.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => CommunityPoliciesInput, { description: 'The policies to change; omitted ones stay as they are.' })
  @ValidateNested()
  @Type(() => CommunityPoliciesInput)
  policies: CommunityPoliciesInput;

  @Field({ description: 'Why, for the audit log.' })
  @Length(1, 500)
  reason: string;
}
