import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { PartnerScope } from '../../access/actor.js';
import { AuthErrorCode } from '../identity.errors.js';

registerEnumType(PartnerScope, {
  name: 'PartnerScope',
  description:
    "What a partner app's key allows, always within the app's one community. A scope grants exactly what its description lists.",
  valuesMap: {
    AUDIT_READ: {
      description:
        "Read-only audit of the app's community: its accounts, transfers, trial balance, balance reports, statements and their CSV exports, " +
        'statistics, risk signals, verification runs and statement proofs; member profiles without their emails. It changes nothing a coordinator decides.',
    },
    ACT_FOR_MEMBER: {
      description:
        'Act for a member who granted this app consent: with an OAuth access token the member approved, ' +
        'or with the API key and X-Acting-For: <memberId> after grantPartnerConsent; ' +
        "with that member's own rights in the " +
        "app's community only: read their accounts, statements, transfers and memberships, and co-members' profiles without emails; pay from their accounts; " +
        "create and edit their listings; propose, accept, deliver, confirm, cancel, dispute and review their exchanges. Never: the member's email, " +
        "their profile, password or sessions, joining or closing memberships, granting or withdrawing consents, nor anything of a coordinator's.",
    },
  },
});

@ObjectType({ description: 'A refusal: the request was expected to be possible but was not, and changed nothing.' })
export class AuthUserError {
  @Field(() => AuthErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: AuthErrorCode;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({
  description: 'Send the access token as `Authorization: Bearer <accessToken>`; refresh it before it expires.',
})
export class AuthTokens {
  @Field({ description: 'Proves who you are for 15 minutes; send it as `Authorization: Bearer <accessToken>`.' })
  accessToken: string;

  @Field({ description: 'When the access token stops working (15 minutes after it was issued).' })
  accessTokenExpiresAt: Date;

  @Field({ description: 'Use once with refreshTokens: it is rotated every time.' })
  refreshToken: string;

  @Field({
    description:
      'When the refresh token stops working: 30 days after it was issued. Refreshing before then issues a new one.',
  })
  refreshTokenExpiresAt: Date;

  @Field(() => ID, { description: 'The member these tokens act as.' })
  memberId: string;
}

@ObjectType({ description: 'New tokens, or why they were refused.' })
export class AuthPayload {
  @Field(() => AuthTokens, { nullable: true, description: 'The new tokens; null when refused.' })
  tokens: AuthTokens | null;

  @Field(() => [AuthUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: AuthUserError[];
}

@ObjectType({ description: 'A registered client of the API, scoped to one community.' })
export class PartnerApp {
  @Field(() => ID, { description: 'Names this partner app; it is the OAuth client_id too.' })
  id: string;

  @Field({ description: "The app's name, as coordinators and members see it." })
  name: string;

  @Field(() => ID, { description: 'The one community the app may work in.' })
  communityId: string;

  @Field(() => [PartnerScope], { description: 'What the app may do.' })
  scopes: PartnerScope[];

  @Field({ description: 'When the app was registered.' })
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the app was revoked, after which its key and tokens no longer work; null while it is live.',
  })
  revokedAt: Date | null;

  @Field(() => [String], {
    description:
      'Where the OAuth server may send a member back with an authorization code (matched exactly). ' +
      'Empty: no OAuth.',
  })
  redirectUris: string[];

  @Field(() => String, { nullable: true, description: 'Who runs the app, as members see it on the consent page.' })
  owner: string | null;

  @Field(() => String, { nullable: true, description: "The app's website, linked from the consent page." })
  websiteUrl: string | null;

  @Field(() => String, { nullable: true, description: "The app's logo (https), shown on the consent page." })
  logoUrl: string | null;

  @Field(() => String, { nullable: true, description: 'Whom members and coordinators write to about the app.' })
  contactEmail: string | null;
}

@ObjectType({ description: 'A partner app with its new API key, which is shown only here.' })
export class PartnerAppKeyPayload {
  @Field(() => PartnerApp, { description: 'The app the key belongs to.' })
  partnerApp: PartnerApp;

  @Field({ description: 'Shown once: only its hash is stored. Send it as `Authorization: Bearer <apiKey>`.' })
  apiKey: string;
}

@ObjectType({ description: 'One login: a device or an app holding tokens.' })
export class Session {
  @Field(() => ID, { description: 'Names this session: pass it to revokeSession.' })
  id: string;

  @Field({ description: 'When you logged in.' })
  createdAt: Date;

  @Field({ description: 'Without a refresh before then, the session ends.' })
  refreshExpiresAt: Date;

  @Field({ description: 'The session this request is made with.' })
  current: boolean;
}

@ObjectType({ description: 'Your live sessions, newest first.' })
export class SessionConnection extends ConnectionType(Session, 'Session', { totalCount: true }) {}

@ObjectType({
  description: "A community's partner apps, revoked ones included, in order of registration (oldest first).",
})
export class PartnerAppConnection extends ConnectionType(PartnerApp, 'PartnerApp', { totalCount: true }) {}

@ObjectType({ description: 'Whether the password changed, or why not.' })
export class ChangePasswordPayload {
  @Field({ description: 'True when the password changed; every other session of yours has then ended.' })
  changed: boolean;

  @Field(() => [AuthUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: AuthUserError[];
}
