import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { UserErrorInterface, userErrorType } from '../../../libs/graphql/user-errors.js';
import { PartnerScope } from '../../access/actor.js';
import { AuthErrorCode, PartnerAppErrorCode, SessionErrorCode } from '../identity.errors.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

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

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class AuthUserError {
  @Field(() => AuthErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: AuthErrorCode;

  @Field(() => [String], {
    nullable: true,
    description:
      'The path of the input field at fault: set for INVALID_INPUT and PASSWORD_TOO_WEAK (["input", "newPassword"]), null for the others, which name no field.',
  })
  field: string[] | null;

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

  @GlobalIdField('Member', { description: 'The member these tokens act as.' })
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

@NodeType('PartnerApp', {
  idDescription: 'Names this partner app. Its OAuth client_id is its `databaseId`.',
  description: 'A registered client of the API, scoped to one community.',
  node: false,
})
export class PartnerApp {
  id: string;

  @Field({ description: "The app's name, as coordinators and members see it." })
  name: string;

  @GlobalIdField('Community', { description: 'The one community the app may work in.' })
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

export const PartnerAppUserError = userErrorType(
  PartnerAppErrorCode,
  'PartnerAppUserError',
  'Why an action on a partner app, its key or a consent was refused: nothing was changed.',
);
export type PartnerAppUserError = InstanceType<typeof PartnerAppUserError>;

export const SessionUserError = userErrorType(
  SessionErrorCode,
  'SessionUserError',
  'Why signing out or ending a session was refused: nothing was changed.',
);
export type SessionUserError = InstanceType<typeof SessionUserError>;

@ObjectType({ description: 'A partner app with its new API key, which is shown only here.' })
export class PartnerAppKeyPayload {
  @Field(() => PartnerApp, { description: 'The app the key belongs to.' })
  partnerApp: PartnerApp;

  @Field({ description: 'Shown once: only its hash is stored. Send it as `Authorization: Bearer <apiKey>`.' })
  apiKey: string;

  @Field(() => [PartnerAppUserError], {
    description:
      'Always empty: the deprecated mutations returning this payload answer refusals as top-level errors. Their replacements return NewPartnerAppKeyPayload.',
  })
  userErrors: PartnerAppUserError[];
}

@ObjectType({ description: 'A partner app and its new key, or why none was issued.' })
export class NewPartnerAppKeyPayload {
  @Field(() => PartnerApp, { nullable: true, description: 'The app the key is for. Null when refused.' })
  partnerApp: PartnerApp | null;

  @Field(() => String, {
    nullable: true,
    description: 'Shown once: only its hash is stored. Send it as `Authorization: Bearer <apiKey>`. Null when refused.',
  })
  apiKey: string | null;

  @Field(() => [PartnerAppUserError], { description: 'Empty when the key was issued.' })
  userErrors: PartnerAppUserError[];
}

@ObjectType({ description: 'The partner app as changed, or why it was not.' })
export class PartnerAppPayload {
  @Field(() => PartnerApp, { nullable: true, description: 'The app as it now is. Null when refused.' })
  partnerApp: PartnerApp | null;

  @Field(() => [PartnerAppUserError], { description: 'Empty when the app changed.' })
  userErrors: PartnerAppUserError[];
}

@ObjectType({ description: 'Your consent to a partner app as changed, or why it was not.' })
export class PartnerAppConsentPayload {
  @GlobalIdField('PartnerApp', { nullable: true, description: 'The app whose consent changed. Null when refused.' })
  partnerAppId: string | null;

  @Field(() => [PartnerAppUserError], { description: 'Empty when the consent changed.' })
  userErrors: PartnerAppUserError[];
}

@ObjectType({ description: 'How many sessions ended, or why none did.' })
export class SignOutPayload {
  @Field(() => Int, {
    nullable: true,
    description: 'Sessions ended, at once: their tokens no longer work. Null when refused.',
  })
  endedSessions: number | null;

  @Field(() => [SessionUserError], { description: 'Empty when the sessions ended.' })
  userErrors: SessionUserError[];
}

@ObjectType({ description: 'The session ended, or why it was not.' })
export class EndSessionPayload {
  @GlobalIdField('Session', { nullable: true, description: 'The session that ended. Null when refused.' })
  sessionId: string | null;

  @Field(() => [SessionUserError], { description: 'Empty when the session ended.' })
  userErrors: SessionUserError[];
}

@NodeType('Session', {
  idDescription: 'Names this session: pass it to endSession.',
  description: 'One login: a device or an app holding tokens.',
})
export class Session {
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
