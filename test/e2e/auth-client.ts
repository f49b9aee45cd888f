import { randomUUID } from 'node:crypto';
import { GraphqlClient, TestApp } from '../support/test-app.js';
import { expectRequestRefused } from './denials.js';
import { gql, USER_ERRORS, UserErrorView } from './graphql-client.js';

/** What the e2e tests send to be someone: registrations, logins, sessions, admins, partner apps and their consent. */

export const AUTH_PAYLOAD_FIELDS =
  'tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt memberId } userErrors { code message }';

export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { member { id email displayName } ${USER_ERRORS} }
}`;
export const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
export const REFRESH_TOKENS = `mutation Refresh($input: RefreshTokensInput!) { refreshTokens(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
export const LOGOUT = 'mutation Logout($everywhere: Boolean!) { logout(everywhere: $everywhere) }';
export const ME = 'query Me { me { id email displayName } }';

export const PARTNER_APP_FIELDS = 'id name communityId scopes createdAt revokedAt';
export const REGISTER_PARTNER_APP = `mutation RegisterPartnerApp($input: RegisterPartnerAppInput!) {
  registerPartnerApp(input: $input) { apiKey partnerApp { ${PARTNER_APP_FIELDS} } }
}`;
export const ROTATE_PARTNER_APP_KEY = `mutation Rotate($id: ID!) { rotatePartnerAppKey(partnerAppId: $id) { apiKey partnerApp { ${PARTNER_APP_FIELDS} } } }`;
export const REVOKE_PARTNER_APP = `mutation Revoke($id: ID!, $reason: String) { revokePartnerApp(partnerAppId: $id, reason: $reason) { ${PARTNER_APP_FIELDS} } }`;
export const GRANT_PARTNER_CONSENT = 'mutation Grant($id: ID!) { grantPartnerConsent(partnerAppId: $id) }';
export const REVOKE_PARTNER_CONSENT = 'mutation RevokeConsent($id: ID!) { revokePartnerConsent(partnerAppId: $id) }';

/** Long enough for the 10-character minimum; every member the tests register or make admin has it. */
export const GOOD_PASSWORD = 'correct horse battery staple';

export interface AuthTokensView {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  memberId: string;
}

export interface AuthPayloadView {
  tokens: AuthTokensView | null;
  userErrors: { code: string; message: string }[];
}

export interface MemberPayloadView {
  member: { id: string; email: string | null; displayName: string } | null;
  userErrors: UserErrorView[];
}

export interface PartnerAppView {
  id: string;
  name: string;
  communityId: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export interface PartnerAppKeyView {
  apiKey: string;
  partnerApp: PartnerAppView;
}

/** A member logged in over GraphQL, with a client that sends their access token. */
export interface LoggedInMember {
  memberId: string;
  email: string;
  tokens: AuthTokensView;
  client: GraphqlClient;
}

/** Unique per call, so that tests never share an email's login failures or registration. */
export const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@e2e.test.example`;

export async function register(client: GraphqlClient, input: Record<string, unknown>): Promise<MemberPayloadView> {
  return (await gql<{ register: MemberPayloadView }>(client, REGISTER, { input })).register;
}

/** A new member who can log in, registered through the API (with no community), not yet logged in. */
export async function registerMember(
  client: GraphqlClient,
  label = 'member',
): Promise<{ memberId: string; email: string; password: string }> {
  const email = uniqueEmail(label);
  const payload = await register(client, { email, password: GOOD_PASSWORD, displayName: `Member ${label}` });
  expect(payload.userErrors).toEqual([]);
  return { memberId: payload.member!.id, email, password: GOOD_PASSWORD };
}

export async function login(client: GraphqlClient, email: string, password: string): Promise<AuthPayloadView> {
  return (await gql<{ login: AuthPayloadView }>(client, LOGIN, { input: { email, password } })).login;
}

/** A login that must succeed. */
export async function loginOrFail(client: GraphqlClient, email: string, password: string): Promise<AuthTokensView> {
  const payload = await login(client, email, password);
  expect(payload.userErrors).toEqual([]);
  return payload.tokens!;
}

/** Logs in over GraphQL (the login must succeed) and gives the member's client. */
export async function logInAs(t: TestApp, email: string, password = GOOD_PASSWORD): Promise<LoggedInMember> {
  const tokens = await loginOrFail(t, email, password);
  return { memberId: tokens.memberId, email, tokens, client: t.as(tokens.accessToken) };
}

/** Someone who registered over GraphQL (with no community) and logged in once. */
export async function registerAndLogIn(t: TestApp, label: string): Promise<LoggedInMember> {
  const { email, password } = await registerMember(t, label);
  return logInAs(t, email, password);
}

/** A new server admin, made the way the create-admin command makes one, then logged in over GraphQL. */
export async function loginAsNewAdmin(t: TestApp): Promise<LoggedInMember> {
  const email = uniqueEmail('admin');
  await t.members.bootstrapAdmin(email, GOOD_PASSWORD, 'Test admin');
  return logInAs(t, email);
}

export async function refreshTokens(client: GraphqlClient, refreshToken: string): Promise<AuthPayloadView> {
  return (await gql<{ refreshTokens: AuthPayloadView }>(client, REFRESH_TOKENS, { input: { refreshToken } }))
    .refreshTokens;
}

/** The one refusal a login, refresh or invitation gives, with no tokens. */
export function expectAuthRefusal(payload: AuthPayloadView, code: string): void {
  expect(payload).toEqual({ tokens: null, userErrors: [{ code, message: expect.any(String) }] });
}

/** Whether an access token still opens its session: `me` answers, or the whole request gets 401. */
export async function expectSessionLive(t: TestApp, accessToken: string, memberId: string): Promise<void> {
  expect((await gql<{ me: { id: string } }>(t.as(accessToken), ME)).me.id).toBe(memberId);
}

export async function expectSessionEnded(t: TestApp, accessToken: string): Promise<void> {
  expectRequestRefused(await t.as(accessToken).graphql(ME), 401);
}

/** Registers a partner app as a manager of its community: the app, and its API key (shown this once). */
export async function registerPartnerApp(
  manager: GraphqlClient,
  communityId: string,
  scopes: string[],
  name = 'Partner app',
): Promise<PartnerAppKeyView> {
  return (
    await gql<{ registerPartnerApp: PartnerAppKeyView }>(manager, REGISTER_PARTNER_APP, {
      input: { communityId, name, scopes },
    })
  ).registerPartnerApp;
}

/** The member in person lets the partner app act for them; the API answers true when it did. */
export async function grantPartnerConsent(member: GraphqlClient, partnerAppId: string): Promise<boolean> {
  return (await gql<{ grantPartnerConsent: boolean }>(member, GRANT_PARTNER_CONSENT, { id: partnerAppId }))
    .grantPartnerConsent;
}

/** The member withdraws their consent; whether there was any to withdraw. */
export async function revokePartnerConsent(member: GraphqlClient, partnerAppId: string): Promise<boolean> {
  return (await gql<{ revokePartnerConsent: boolean }>(member, REVOKE_PARTNER_CONSENT, { id: partnerAppId }))
    .revokePartnerConsent;
}

/** A client sending a partner API key, and X-Acting-For when the app acts for a member. */
export function asPartner(t: TestApp, apiKey: string, actingForMemberId?: string): GraphqlClient {
  return t.as(apiKey, actingForMemberId ? { 'x-acting-for': actingForMemberId } : {});
}
