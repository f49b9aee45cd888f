import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../../libs/testing/test-app.js';
import { gql } from './graphql-client.js';

/** What the identity e2e tests ask for and get back: logins, sessions, partner apps, and how refusals look. */

export const AUTH_PAYLOAD_FIELDS = 'tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt memberId } userErrors { code message }';

export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { member { id email displayName } userErrors { code field message } }
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

/** Long enough for the 10-character minimum. */
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
  userErrors: { code: string; field: string[] | null; message: string }[];
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

/** Unique per call, so that tests never share an email's login failures or registration. */
export const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@identity.test.example`;

export async function register(client: GraphqlClient, input: Record<string, unknown>): Promise<MemberPayloadView> {
  return (await gql<{ register: MemberPayloadView }>(client, REGISTER, { input })).register;
}

/** A new member who can log in, registered through the API. */
export async function registerMember(client: GraphqlClient, label = 'member'): Promise<{ memberId: string; email: string; password: string }> {
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

export async function refreshTokens(client: GraphqlClient, refreshToken: string): Promise<AuthPayloadView> {
  return (await gql<{ refreshTokens: AuthPayloadView }>(client, REFRESH_TOKENS, { input: { refreshToken } })).refreshTokens;
}

/** The one refusal a login, refresh or invitation gives, with no tokens. */
export function expectAuthRefusal(payload: AuthPayloadView, code: string): void {
  expect(payload).toEqual({ tokens: null, userErrors: [{ code, message: expect.any(String) }] });
}

/** A request refused as a whole for its credentials: this HTTP status, this code, and no data at all. */
export function expectRequestRefused(response: GraphqlResponse, status: 401 | 403): void {
  const code = status === 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN;
  expect({ status: response.status, data: response.data ?? null, codes: response.errors?.map((error) => error.extensions?.code) })
    .toEqual({ status, data: null, codes: [code] });
}

/** A query refused by its resolver (HTTP 200): one error with this code, and no data. */
export function expectQueryRefused(response: GraphqlResponse, code: ErrorCode): void {
  expect({ status: response.status, data: response.data ?? null, codes: response.errors?.map((error) => error.extensions?.code) })
    .toEqual({ status: 200, data: null, codes: [code] });
}

/** Whether an access token still opens its session: `me` answers, or the whole request gets 401. */
export async function expectSessionLive(t: TestApp, accessToken: string, memberId: string): Promise<void> {
  expect((await gql<{ me: { id: string } }>(t.as(accessToken), ME)).me.id).toBe(memberId);
}

export async function expectSessionEnded(t: TestApp, accessToken: string): Promise<void> {
  expectRequestRefused(await t.as(accessToken).graphql(ME), 401);
}

export async function registerPartnerApp(client: GraphqlClient, communityId: string, scopes: string[], name = 'Partner app'): Promise<PartnerAppKeyView> {
  return (await gql<{ registerPartnerApp: PartnerAppKeyView }>(client, REGISTER_PARTNER_APP, { input: { communityId, name, scopes } })).registerPartnerApp;
}

/** A client sending a partner API key, and X-Acting-For when the app acts for a member. */
export function asPartner(t: TestApp, apiKey: string, actingForMemberId?: string): GraphqlClient {
  return t.as(apiKey, actingForMemberId ? { 'x-acting-for': actingForMemberId } : {});
}
