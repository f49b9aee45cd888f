import { MembershipRole } from '../../src/members/models/member-enums.js';
import { OAuthPayloadSweeper } from '../../src/oauth/oauth-payload.sweeper.js';
import { globalId, rowId } from '../support/global-ids.js';
import { createLedgerFixture, fund, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import {
  asPartner,
  GOOD_PASSWORD,
  logInAs,
  loginAsNewAdmin,
  registerPartnerApp,
  revokePartnerConsent,
  REVOKE_PARTNER_APP,
  uniqueEmail,
} from './auth-client.js';
import { expectForbidden, expectRequestRefused } from './denials.js';
import { CREATE_TRANSFER, createTransfer, fetchAccount, gql, transferInput, USER_ERRORS } from './graphql-client.js';
import { auditRows } from './member-client.js';
import {
  approveInBrowser,
  authorizeUrl,
  Browser,
  callbackParams,
  exchangeCode,
  follow,
  formAction,
  pkce,
  refresh,
  REDIRECT_URI,
  SCOPE,
  tokenRequest,
} from './oauth-client.js';

const VIEWER = 'query { viewer { kind memberId actingForMemberId communityId scopes partnerApp { id name } } }';
const PARTNER_CONSENTS = `query { partnerConsents { id scopes grantedAt
  partnerApp { id name owner websiteUrl logoUrl contactEmail redirectUris communityId } } }`;
const UPDATE_PROFILE = `mutation Profile($input: UpdatePartnerAppProfileInput!) {
  updatePartnerAppProfile(input: $input) {
    partnerApp { id redirectUris owner websiteUrl logoUrl contactEmail } ${USER_ERRORS}
  }
}`;
const REVOKE_CONSENTS = `mutation RevokeConsents($input: RevokePartnerAppConsentsInput!) {
  revokePartnerAppConsents(input: $input) { revokedCount ${USER_ERRORS} }
}`;
const ME = 'query { me { id email } }';
const FREEZE = 'mutation Freeze($input: AccountStatusInput!) { freezeAccount(input: $input) { account { id } } }';
const RENAME = 'mutation { updateProfile(input: { displayName: "Renamed by an app" }) { id } }';

const PROFILE = {
  owner: 'Neighbourly Apps <Ltd>',
  websiteUrl: 'https://partner.example/',
  logoUrl: 'https://partner.example/logo.png',
  contactEmail: 'help@partner.example',
};

/**
 * OAuth 2.1 for partner apps, end to end over real HTTP: a coordinator registers an app with a
 * redirect URI; a member, sent by the app, signs in at Pumasi, sees the app and what it asks, and
 * allows it; the app exchanges the code (PKCE) for tokens, pays for the member within the scope and
 * is refused outside it, rotates its refresh token, and loses access when the member or a
 * coordinator withdraws the consent.
 */
describe('OAuth for partner apps', () => {
  const t = useTestApp(4);

  interface World {
    fixture: LedgerFixture;
    /** The app's id, as the API gives it. */
    appId: string;
    /** The app's OAuth `client_id`: its database id (docs/identity.md). */
    clientId: string;
    apiKey: string;
    /** The app's community's id, as the API gives it. */
    communityId: string;
    /**
     * A member with a password (to sign in on the page), an account funded with 100, in the app's
     * community: `id` as the API gives it, `databaseId` as audit rows and the OAuth tables hold it.
     */
    member: { id: string; databaseId: string; email: string; accountId: string; client: GraphqlClient };
  }

  /** A community, an ACT_FOR_MEMBER app with its OAuth profile, and a member who can sign in. */
  const world = async (): Promise<World> => {
    const fixture = await createLedgerFixture(t, [{}]);
    const { apiKey, partnerApp } = await registerPartnerApp(
      fixture.asCoordinator(),
      fixture.community.id,
      ['ACT_FOR_MEMBER'],
      'Time Helper',
    );
    const profile = await gql<{ updatePartnerAppProfile: { userErrors: unknown[] } }>(
      fixture.asCoordinator(),
      UPDATE_PROFILE,
      {
        input: { partnerAppId: partnerApp.id, redirectUris: [REDIRECT_URI], ...PROFILE },
      },
    );
    expect(profile.updatePartnerAppProfile.userErrors).toEqual([]);
    const email = uniqueEmail('oauth');
    const created = (await t.members.createMember({ email, displayName: 'Olive Oauth', password: GOOD_PASSWORD }))!;
    const membership = await t.members.admit(created.id, fixture.community.id, MembershipRole.MEMBER);
    await fund(t.ledger, fixture.issuance.id, membership.accountId, 100n);
    const { client } = await logInAs(t, email);
    return {
      fixture,
      appId: partnerApp.id,
      clientId: rowId(partnerApp.id),
      apiKey,
      communityId: globalId('Community', fixture.community.id),
      member: {
        id: globalId('Member', created.id),
        databaseId: created.id,
        email,
        accountId: membership.accountId,
        client,
      },
    };
  };

  const approve = (w: World) => approveInBrowser(t.url, w.clientId, w.member.email, GOOD_PASSWORD);

  /** Approved in the browser and exchanged: the app's tokens for the member. */
  const tokensFor = async (w: World): Promise<{ access_token: string; refresh_token: string }> => {
    const { code, verifier } = await approve(w);
    const tokens = await exchangeCode(t.url, w.clientId, code, verifier);
    expect(tokens.status).toBe(200);
    return tokens.body as { access_token: string; refresh_token: string };
  };

  const pay = (client: GraphqlClient, w: World, amount = 5) =>
    createTransfer(client, transferInput(w.member.accountId, w.fixture.members[0].id, amount));

  it('publishes RFC 8414 metadata at the root, on PUBLIC_URL, for what this server does', async () => {
    const response = await fetch(`${t.url}/.well-known/oauth-authorization-server`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: t.url,
      authorization_endpoint: `${t.url}/oauth/authorize`,
      token_endpoint: `${t.url}/oauth/token`,
      revocation_endpoint: `${t.url}/oauth/revoke`,
      response_types_supported: ['code'],
      response_modes_supported: expect.arrayContaining(['query']),
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: [SCOPE],
    });
  });

  it('the whole flow: consent page, PKCE, a payment in scope, refusals outside it, refresh rotation', async () => {
    const w = await world();
    const { code, verifier, loginPage, consentPage } = await approve(w);

    // The member saw the app's registered metadata before signing in, and what it asks in plain words before allowing.
    for (const page of [loginPage, consentPage]) {
      expect(page).toContain('Time Helper');
      expect(page).toContain('Neighbourly Apps &lt;Ltd&gt;');
      expect(page).toContain('href="https://partner.example/"');
      expect(page).toContain('src="https://partner.example/logo.png"');
      expect(page).toContain('help@partner.example');
    }
    expect(consentPage).toContain('Olive Oauth');
    expect(consentPage).toContain(`pay other members`);
    expect(consentPage).toContain(w.fixture.community.name);

    const tokens = await exchangeCode(t.url, w.clientId, code, verifier);
    expect(tokens).toEqual({
      status: 200,
      body: {
        access_token: expect.stringMatching(/^[\w-]{43}$/),
        refresh_token: expect.any(String),
        expires_in: 600,
        scope: SCOPE,
        token_type: 'Bearer',
      },
    });
    const app = t.as(tokens.body.access_token);

    // Who is calling: the app, for the member, with the scope the member approved.
    expect((await gql<{ viewer: unknown }>(app, VIEWER)).viewer).toEqual({
      kind: 'PARTNER_APP',
      memberId: null,
      actingForMemberId: w.member.id,
      communityId: w.communityId,
      scopes: ['ACT_FOR_MEMBER'],
      partnerApp: { id: w.appId, name: 'Time Helper' },
    });

    // Within the scope: the member's own money.
    const payment = await pay(app, w);
    expect(payment.userErrors).toEqual([]);
    expect(await fetchAccount(w.member.client, w.member.accountId)).toMatchObject({ balance: '95' });
    expect(await auditRows(t, { communityId: w.fixture.community.id, action: 'partner_consent.grant' })).toEqual([
      expect.objectContaining({
        actorMemberId: w.member.databaseId,
        actorRole: 'member',
        targetId: rowId(w.appId),
        details: { via: 'oauth', scopes: [SCOPE] },
      }),
    ]);

    // Outside it: the member's identity (`me` answers without the email), others' money, a coordinator's powers.
    expect((await gql<{ me: unknown }>(app, ME)).me).toEqual({ id: w.member.id, email: null });
    expectForbidden(await app.graphql(RENAME));
    expectForbidden(
      await app.graphql(CREATE_TRANSFER, { input: transferInput(w.fixture.members[0].id, w.member.accountId, 5) }),
    );
    expectForbidden(
      await app.graphql(FREEZE, { input: { accountId: w.fixture.members[0].id, reason: "not an app's call" } }),
    );
    expectForbidden(await app.graphql(PARTNER_CONSENTS));
    expectRequestRefused(
      await t.as(tokens.body.access_token, { 'x-acting-for': w.fixture.holders[0].memberId }).graphql(VIEWER),
      401,
    );

    // Refresh rotates both tokens; the used refresh token is refused, and its replay ends the whole chain.
    const rotated = await refresh(t.url, w.clientId, tokens.body.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect((await pay(t.as(rotated.body.access_token), w)).userErrors).toEqual([]);
    const replayed = await refresh(t.url, w.clientId, tokens.body.refresh_token);
    expect(replayed).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    expect((await refresh(t.url, w.clientId, rotated.body.refresh_token)).body.error).toBe('invalid_grant');
    expectRequestRefused(await t.as(rotated.body.access_token).graphql(VIEWER), 401);
  });

  it("partnerConsents shows the consent with the app's metadata; withdrawing it stops the tokens at once", async () => {
    const w = await world();
    const tokens = await tokensFor(w);

    const consents = (await gql<{ partnerConsents: unknown[] }>(w.member.client, PARTNER_CONSENTS)).partnerConsents;
    expect(consents).toEqual([
      {
        id: expect.any(String),
        scopes: ['ACT_FOR_MEMBER'],
        grantedAt: expect.any(String),
        partnerApp: {
          id: w.appId,
          name: 'Time Helper',
          ...PROFILE,
          redirectUris: [REDIRECT_URI],
          communityId: w.communityId,
        },
      },
    ]);

    expect(await revokePartnerConsent(w.member.client, w.appId)).toBe(true);

    expectRequestRefused(await t.as(tokens.access_token).graphql(VIEWER), 401);
    expect((await refresh(t.url, w.clientId, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect((await gql<{ partnerConsents: unknown[] }>(w.member.client, PARTNER_CONSENTS)).partnerConsents).toEqual([]);

    // A new approval starts from nothing: the old tokens stay dead.
    const again = await tokensFor(w);
    expect((await pay(t.as(again.access_token), w)).userErrors).toEqual([]);
    expectRequestRefused(await t.as(tokens.access_token).graphql(VIEWER), 401);
  });

  it("a coordinator withdraws one member's consent, then revokes the app: every token stops at once", async () => {
    const w = await world();
    const tokens = await tokensFor(w);
    const revokeConsents = (client: GraphqlClient, memberId?: string) =>
      gql<{ revokePartnerAppConsents: { revokedCount: number; userErrors: unknown[] } }>(client, REVOKE_CONSENTS, {
        input: { partnerAppId: w.appId, memberId, reason: 'member reported a lost phone' },
      });

    expectForbidden(
      await w.member.client.graphql(REVOKE_CONSENTS, {
        input: { partnerAppId: w.appId, reason: 'not mine to revoke' },
      }),
    );
    expect((await revokeConsents(w.fixture.asCoordinator(), w.member.id)).revokePartnerAppConsents).toEqual({
      revokedCount: 1,
      userErrors: [],
    });

    expectRequestRefused(await t.as(tokens.access_token).graphql(VIEWER), 401);
    expect((await refresh(t.url, w.clientId, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect((await revokeConsents(w.fixture.asCoordinator(), w.member.id)).revokePartnerAppConsents).toEqual({
      revokedCount: 0,
      userErrors: [{ code: 'NO_LIVE_CONSENT', field: ['input', 'memberId'], message: expect.any(String) }],
    });
    expect(
      await auditRows(t, { communityId: w.fixture.community.id, action: 'partner_consent.revoke_for_app' }),
    ).toEqual([
      expect.objectContaining({
        actorRole: 'coordinator',
        targetId: rowId(w.appId),
        reason: 'member reported a lost phone',
        details: { memberIds: [w.member.databaseId] },
      }),
    ]);

    // The member approves again; then the coordinator revokes the app itself.
    const again = await tokensFor(w);
    expect((await pay(t.as(again.access_token), w)).userErrors).toEqual([]);
    expect(
      (await w.fixture.asCoordinator().graphql(REVOKE_PARTNER_APP, { id: w.appId, reason: 'contract ended' })).errors,
    ).toBeUndefined();

    expectRequestRefused(await t.as(again.access_token).graphql(VIEWER), 401);
    expect((await refresh(t.url, w.clientId, again.refresh_token)).body.error).toBe('invalid_client');
    // A revoked app is no client any more: its authorize link is refused on a page of our own, not sent on.
    const browser = new Browser(t.url);
    const refused = await browser.get(authorizeUrl(t.url, { clientId: w.clientId, challenge: pkce().challenge }));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('invalid_client');
  });

  it('the app revokes its own refresh token at the revocation endpoint', async () => {
    const w = await world();
    const tokens = await tokensFor(w);

    const response = await fetch(`${t.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.refresh_token,
        token_type_hint: 'refresh_token',
        client_id: w.clientId,
      }),
    });

    expect(response.status).toBe(200);
    expect((await refresh(t.url, w.clientId, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expectRequestRefused(await t.as(tokens.access_token).graphql(VIEWER), 401);
  });

  it('an expired access token is refused, and the sweeper deletes what has expired', async () => {
    const w = await world();
    const tokens = await tokensFor(w);
    const rowsOfMember = async () =>
      Number(
        (await t.dataSource.query('SELECT count(*) FROM oauth_payloads WHERE member_id = $1', [w.member.databaseId]))[0]
          .count,
      );
    expect(await rowsOfMember()).toBeGreaterThan(0);

    await t.dataSource.query(
      `UPDATE oauth_payloads SET expires_at = now() - interval '1 second' WHERE member_id = $1`,
      [w.member.databaseId],
    );

    expectRequestRefused(await t.as(tokens.access_token).graphql(VIEWER), 401);
    expect((await refresh(t.url, w.clientId, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect(await t.app.get(OAuthPayloadSweeper).sweep()).toBeGreaterThan(0);
    expect(await rowsOfMember()).toBe(0);
  });

  describe('refusals', () => {
    it('a wrong code_verifier is refused (invalid_grant); the code is not spent by it', async () => {
      const w = await world();
      const { code, verifier } = await approve(w);

      expect(await exchangeCode(t.url, w.clientId, code, pkce().verifier)).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
      });
      expect((await exchangeCode(t.url, w.clientId, code, verifier)).status).toBe(200);
      // A code works once.
      expect((await exchangeCode(t.url, w.clientId, code, verifier)).body.error).toBe('invalid_grant');
    });

    it('a redirect URI that is not registered is refused on our page: the browser is not sent there', async () => {
      const w = await world();
      const browser = new Browser(t.url);

      const hop = await browser.get(
        authorizeUrl(t.url, {
          clientId: w.clientId,
          challenge: pkce().challenge,
          redirectUri: 'https://evil.example/cb',
        }),
      );

      expect(hop.status).toBe(400);
      expect(hop.location).toBeNull();
      expect(hop.body).toContain('redirect_uri');
      expect(hop.headers.get('content-security-policy')).toContain("default-src 'none'");
    });

    it('an authorization request without PKCE, or with the plain method, goes back as invalid_request', async () => {
      const w = await world();
      for (const params of [
        { clientId: w.clientId },
        { clientId: w.clientId, challenge: 'a'.repeat(43), method: 'plain' },
      ]) {
        const browser = new Browser(t.url);
        const back = callbackParams(await browser.get(authorizeUrl(t.url, params)));
        expect(back.get('error')).toBe('invalid_request');
        expect(back.get('error_description')).toMatch(/code_challenge|PKCE/);
      }
    });

    it('scopes a member cannot approve (openid, audit:read, none) go back as invalid_scope, unasked', async () => {
      const w = await world();
      for (const scope of ['openid act_for_member', 'audit:read', '']) {
        const browser = new Browser(t.url);
        const back = await follow(
          browser,
          t.url,
          await browser.get(authorizeUrl(t.url, { clientId: w.clientId, challenge: pkce().challenge, scope })),
        );
        expect(callbackParams(back).get('error')).toBe('invalid_scope');
      }
    });

    it('a wrong password shows the sign-in page again (401); denying sends access_denied, no consent', async () => {
      const w = await world();
      const browser = new Browser(t.url);
      const login = await follow(
        browser,
        t.url,
        await browser.get(authorizeUrl(t.url, { clientId: w.clientId, challenge: pkce().challenge })),
      );

      const wrong = await browser.post(formAction(login.body), {
        email: w.member.email,
        password: 'not the password at all',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain('Email or password is incorrect');
      const consent = await follow(
        browser,
        t.url,
        await browser.post(formAction(wrong.body), { email: w.member.email, password: GOOD_PASSWORD }),
      );
      const back = await follow(browser, t.url, await browser.post(formAction(consent.body), { decision: 'deny' }));

      expect(callbackParams(back).get('error')).toBe('access_denied');
      expect((await gql<{ partnerConsents: unknown[] }>(w.member.client, PARTNER_CONSENTS)).partnerConsents).toEqual(
        [],
      );
    });

    it("a member outside the app's community is sent back with access_denied, and no consent is recorded", async () => {
      const w = await world();
      const email = uniqueEmail('outsider');
      const outsider = (await t.members.createMember({ email, displayName: 'Otto Outside', password: GOOD_PASSWORD }))!;
      const browser = new Browser(t.url);
      const login = await follow(
        browser,
        t.url,
        await browser.get(authorizeUrl(t.url, { clientId: w.clientId, challenge: pkce().challenge })),
      );

      const back = await follow(
        browser,
        t.url,
        await browser.post(formAction(login.body), { email, password: GOOD_PASSWORD }),
      );

      expect(callbackParams(back).get('error')).toBe('access_denied');
      expect(callbackParams(back).get('error_description')).toContain(w.fixture.community.name);
      const consents = await t.dataSource.query('SELECT 1 FROM partner_consents WHERE member_id = $1', [outsider.id]);
      expect(consents).toEqual([]);
    });

    it("a form posted without the page's cookie, or from another site, changes nothing", async () => {
      const w = await world();
      const browser = new Browser(t.url);
      const login = await follow(
        browser,
        t.url,
        await browser.get(authorizeUrl(t.url, { clientId: w.clientId, challenge: pkce().challenge })),
      );

      const cookieless = await new Browser(t.url).post(formAction(login.body), {
        email: w.member.email,
        password: GOOD_PASSWORD,
      });
      expect(cookieless.status).toBe(400);
      const crossSite = await fetch(new URL(formAction(login.body), t.url), {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ email: w.member.email, password: GOOD_PASSWORD }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
          cookie: browser.jar.header(new URL(formAction(login.body), t.url).href),
        },
      });
      expect(crossSite.status).toBe(403);
    });

    it('unknown, malformed or unusable requests to the token endpoint get OAuth errors, never a 500', async () => {
      const w = await world();
      const cases: [Record<string, string>, string][] = [
        [
          {
            grant_type: 'authorization_code',
            client_id: w.clientId,
            code: 'nope',
            code_verifier: pkce().verifier,
            redirect_uri: REDIRECT_URI,
          },
          'invalid_grant',
        ],
        [{ grant_type: 'password', client_id: w.clientId, username: 'a', password: 'b' }, 'unsupported_grant_type'],
        [{ grant_type: 'refresh_token', client_id: '9000000000000000000', refresh_token: 'x' }, 'invalid_client'],
        [{ grant_type: 'refresh_token', client_id: 'not-an-id', refresh_token: 'x' }, 'invalid_client'],
      ];
      for (const [form, error] of cases) {
        const response = await tokenRequest(t.url, form);
        expect({ status: response.status < 500, error: response.body.error }).toEqual({ status: true, error });
      }
    });
  });

  describe('registration', () => {
    it('redirect URIs are checked as OAuth 2.1 asks; an app that cannot act for members gets none', async () => {
      const w = await world();
      const coordinator = w.fixture.asCoordinator();
      const update = (partnerAppId: string, redirectUris: string[]) =>
        gql<{ updatePartnerAppProfile: { partnerApp: unknown; userErrors: { code: string }[] } }>(
          coordinator,
          UPDATE_PROFILE,
          { input: { partnerAppId, redirectUris } },
        );

      for (const uri of ['http://partner.example/cb', 'https://partner.example/cb#fragment', 'not a uri']) {
        expect((await update(w.appId, [uri])).updatePartnerAppProfile.userErrors.map((error) => error.code)).toEqual([
          'REDIRECT_URI_INVALID',
        ]);
      }
      const accepted = await update(w.appId, ['http://127.0.0.1:8123/cb', 'com.example.timehelper:/oauth']);
      expect(accepted.updatePartnerAppProfile).toEqual({
        partnerApp: {
          id: w.appId,
          redirectUris: ['http://127.0.0.1:8123/cb', 'com.example.timehelper:/oauth'],
          owner: null,
          websiteUrl: null,
          logoUrl: null,
          contactEmail: null,
        },
        userErrors: [],
      });

      const auditor = await registerPartnerApp(coordinator, w.fixture.community.id, ['AUDIT_READ'], 'Auditor');
      expect(
        (await update(auditor.partnerApp.id, [REDIRECT_URI])).updatePartnerAppProfile.userErrors.map(
          (error) => error.code,
        ),
      ).toEqual(['PARTNER_APP_CANNOT_ACT_FOR_MEMBERS']);
      expectForbidden(
        await w.member.client.graphql(UPDATE_PROFILE, { input: { partnerAppId: w.appId, redirectUris: [] } }),
      );
      const badUrl = await coordinator.graphql(UPDATE_PROFILE, {
        input: { partnerAppId: w.appId, redirectUris: [], logoUrl: 'javascript:alert(1)' },
      });
      expect(badUrl.errors).toBeUndefined();
      expect(badUrl.data?.updatePartnerAppProfile.userErrors).toEqual([
        expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'logoUrl'] }),
      ]);
    });
  });

  describe('viewer', () => {
    it('answers everyone: nobody, a member, an admin, an app by key, an app for a member (X-Acting-For)', async () => {
      const w = await world();
      const admin = await loginAsNewAdmin(t);
      const nobody = { memberId: null, actingForMemberId: null, communityId: null, scopes: [], partnerApp: null };

      expect((await gql<{ viewer: unknown }>(t, VIEWER)).viewer).toEqual({ kind: 'ANONYMOUS', ...nobody });
      expect((await gql<{ viewer: unknown }>(w.member.client, VIEWER)).viewer).toEqual({
        ...nobody,
        kind: 'MEMBER',
        memberId: w.member.id,
      });
      expect((await gql<{ viewer: unknown }>(admin.client, VIEWER)).viewer).toEqual({
        ...nobody,
        kind: 'ADMIN',
        memberId: admin.memberId,
      });
      expect((await gql<{ viewer: unknown }>(asPartner(t, w.apiKey), VIEWER)).viewer).toEqual({
        ...nobody,
        kind: 'PARTNER_APP',
        communityId: w.communityId,
        scopes: ['ACT_FOR_MEMBER'],
        partnerApp: { id: w.appId, name: 'Time Helper' },
      });
      await tokensFor(w);
      expect((await gql<{ viewer: unknown }>(asPartner(t, w.apiKey, w.member.id), VIEWER)).viewer).toEqual({
        ...nobody,
        kind: 'PARTNER_APP',
        actingForMemberId: w.member.id,
        communityId: w.communityId,
        scopes: ['ACT_FOR_MEMBER'],
        partnerApp: { id: w.appId, name: 'Time Helper' },
      });
    });
  });
});
