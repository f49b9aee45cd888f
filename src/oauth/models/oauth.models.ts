import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PartnerScope } from '../../access/actor.js';
import { PartnerApp } from '../../identity/models/identity.models.js';
import { OAuthErrorCode } from '../oauth.errors.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

export enum ViewerKind {
  ANONYMOUS = 'ANONYMOUS',
  MEMBER = 'MEMBER',
  ADMIN = 'ADMIN',
  PARTNER_APP = 'PARTNER_APP',
}

registerEnumType(ViewerKind, {
  name: 'ViewerKind',
  description: 'Who is calling.',
  valuesMap: {
    ANONYMOUS: { description: 'No credentials.' },
    MEMBER: { description: 'A member, in person, with their access token.' },
    ADMIN: { description: 'A server administrator, in person.' },
    PARTNER_APP: {
      description:
        'A partner app: as itself (API key), or for a member (OAuth access token, or API key with X-Acting-For).',
    },
  },
});

@ObjectType({ description: 'Who is calling, and with what rights: the same answer the server acts on.' })
export class Viewer {
  @Field(() => ViewerKind, { description: 'Member, admin, partner app or nobody.' })
  kind: ViewerKind;

  @GlobalIdField('Member', { nullable: true, description: 'The member calling in person (MEMBER, ADMIN).' })
  memberId: string | null;

  @Field(() => PartnerApp, { nullable: true, description: 'The partner app calling (PARTNER_APP).' })
  partnerApp: PartnerApp | null;

  @GlobalIdField('Member', {
    nullable: true,
    description: 'The member the partner app acts for; null when it acts as itself.',
  })
  actingForMemberId: string | null;

  @GlobalIdField('Community', {
    nullable: true,
    description: "The one community a partner app's rights are confined to.",
  })
  communityId: string | null;

  @Field(() => [PartnerScope], {
    description: "What the partner app may do in this request; empty for members, whose rights are their memberships'.",
  })
  scopes: PartnerScope[];
}

@NodeType('PartnerConsent', {
  idDescription: 'The consent.',
  description: 'Your consent that a partner app may act for you; it lasts until you or a coordinator withdraw it.',
})
export class PartnerConsent {
  id: string;

  @Field(() => PartnerApp, { description: 'The app, with the metadata it was registered with.' })
  partnerApp: PartnerApp;

  @Field(() => [PartnerScope], { description: 'What the app may do for you.' })
  scopes: PartnerScope[];

  @Field({ description: 'When you gave it.' })
  grantedAt: Date;
}

@ObjectType({ description: 'A refusal: nothing was changed.', implements: () => [UserErrorInterface] })
export class OAuthUserError {
  @Field(() => OAuthErrorCode, { description: 'Stable: switch on it.' })
  code: OAuthErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'For people; may change.' })
  message: string;
}

@ObjectType({ description: 'The outcome of updatePartnerAppProfile.' })
export class UpdatePartnerAppProfilePayload {
  @Field(() => PartnerApp, { nullable: true, description: 'The app as it is now; null when refused.' })
  partnerApp: PartnerApp | null;

  @Field(() => [OAuthUserError], { description: 'Why nothing changed; empty on success.' })
  userErrors: OAuthUserError[];
}

@ObjectType({ description: 'The outcome of revokePartnerAppConsents.' })
export class RevokePartnerAppConsentsPayload {
  @Field(() => Int, { description: 'How many consents ended; their tokens stopped working with them.' })
  revokedCount: number;

  @Field(() => [OAuthUserError], { description: 'Why nothing changed; empty on success.' })
  userErrors: OAuthUserError[];
}
