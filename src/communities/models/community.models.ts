import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { CommunityErrorCode } from '../communities.errors.js';
import { NodeType } from '../../../libs/graphql/node.js';

@NodeType('Community', {
  idDescription: 'Names this community; memberships, listings and reports refer to it by this id.',
  description: 'One time bank: it owns a currency and its policies.',
})
export class Community {
  id: string;

  @Field({
    description: 'Its short name in addresses, unique on this server: 2-64 lower-case letters, digits and dashes.',
  })
  slug: string;

  @Field({ description: 'Its name for people, for example "Mapo Time Bank".' })
  name: string;
}

@ObjectType({ description: 'Communities in order of creation (oldest first).' })
export class CommunityConnection extends ConnectionType(Community, 'Community', { totalCount: true }) {}

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

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class CommunityUserError {
  @Field(() => CommunityErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: CommunityErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({ description: 'The community as created or changed, or why the request was refused.' })
export class CommunityPayload {
  @Field(() => Community, { nullable: true, description: 'The community as created or changed; null when refused.' })
  community: Community | null;

  @Field(() => [CommunityUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: CommunityUserError[];
}
