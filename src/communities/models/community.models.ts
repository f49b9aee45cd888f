import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { CommunityErrorCode } from '../communities.errors.js';

@ObjectType({ description: 'One time bank: it owns a currency and its policies.' })
export class Community {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;
}

@ObjectType({
  description: "A community's rules, stored as data; coordinators change them, and every change is audited.",
})
export class CommunityPolicies {
  @Field(() => AmountScalar, { description: 'Paid from issuance when a membership is approved, once per membership.' })
  starterGrant: bigint;

  @Field(() => AmountScalar, { description: 'The lower limit of a new member account; negative is a credit line.' })
  defaultLowerLimit: bigint;

  @Field(() => AmountScalar, {
    nullable: true,
    description: 'The upper limit of a new member account; null is no cap.',
  })
  defaultUpperLimit: bigint | null;

  @Field(() => Int, { description: 'Seconds after delivery before an unconfirmed exchange confirms itself.' })
  autoConfirmSeconds: number;

  @Field(() => Int, { description: 'The timeout of a hold when none is asked for, in seconds.' })
  holdTimeoutSeconds: number;

  @Field({ description: "Whether active members may see each other's balances (never their statements)." })
  balancesVisible: boolean;
}

@ObjectType({ implements: () => [UserErrorInterface] })
export class CommunityUserError {
  @Field(() => CommunityErrorCode)
  code: CommunityErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType()
export class CommunityPayload {
  @Field(() => Community, { nullable: true })
  community: Community | null;

  @Field(() => [CommunityUserError])
  userErrors: CommunityUserError[];
}
