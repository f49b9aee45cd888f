import { createLedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import { registerPartnerApp } from './auth-client.js';
import { gql, USER_ERRORS } from './graphql-client.js';

const PARTNER = 'https://partner.example';
const STRANGER = 'https://stranger.example';
const QUERY = JSON.stringify({ query: '{ __typename }' });

/** Every response header a browser reads for CORS; none of them may reach a refused origin. */
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-max-age',
  'access-control-expose-headers',
];

const corsHeadersOf = (response: Response): Record<string, string> =>
  Object.fromEntries(
    CORS_HEADERS.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );

/** An answer that `origin`'s page may read, with the request id (to quote when something goes wrong) and Retry-After. */
const READABLE_BY = (origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-expose-headers': 'x-request-id,retry-after',
});

/** Vary is a list: Origin must be among its entries. */
const varies = (response: Response): string[] =>
  (response.headers.get('vary') ?? '').split(',').map((entry) => entry.trim().toLowerCase());

/** Browsers calling the API over real HTTP, as they would: a preflight first, then the request. */
describe('CORS', () => {
  const t = useTestApp({ env: { CORS_ORIGINS: `${PARTNER}, http://localhost:5173` } });

  /** What a browser asks before a page's POST with a JSON body and a token, on behalf of a member. */
  const preflight = (origin: string): Promise<Response> =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,x-acting-for',
      },
    });
  const post = (origin: string): Promise<Response> =>
    fetch(`${t.url}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });

  it('answers a preflight from a listed origin with what the API accepts', async () => {
    const response = await preflight(PARTNER);

    expect(response.status).toBe(204);
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': PARTNER,
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      'access-control-allow-headers':
        'authorization,content-type,x-acting-for,apollo-require-preflight,x-apollo-operation-name,x-request-id',
      'access-control-expose-headers': 'x-request-id,retry-after',
      'access-control-max-age': '7200',
    });
    expect(varies(response)).toContain('origin');
  });

  it("lets a listed origin, and the server's own (PUBLIC_URL), read the answer to the actual request", async () => {
    for (const origin of [PARTNER, 'http://localhost:5173', t.url]) {
      const response = await post(origin);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
      expect(corsHeadersOf(response)).toEqual(READABLE_BY(origin));
      expect(response.headers.get('x-request-id')).toMatch(/\S/);
      expect(varies(response)).toContain('origin');
    }
  });

  it('refuses the preflight of any other origin, and gives it no CORS header at all', async () => {
    for (const origin of [STRANGER, `${PARTNER}:8443`, 'http://partner.example', 'null']) {
      const refused = await preflight(origin);
      const request = await post(origin);

      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }],
      });
      for (const response of [refused, request]) {
        expect(corsHeadersOf(response)).toEqual({});
        expect(varies(response)).toContain('origin');
      }
    }
  });

  it('changes nothing for a client that is not a browser (no Origin)', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: QUERY,
    });

    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({});
  });

  it("keeps Apollo's CSRF prevention: what a page sends without a preflight is refused, from any origin", async () => {
    const getUrl = `${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const simpleGet = await fetch(getUrl, { headers: { origin: PARTNER } });
    const simplePost = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: PARTNER, 'content-type': 'text/plain' },
      body: QUERY,
    });

    for (const response of [simpleGet, simplePost]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    }

    const flaggedGet = await fetch(getUrl, { headers: { origin: PARTNER, 'apollo-require-preflight': 'true' } });
    expect(flaggedGet.status).toBe(200);
    expect(corsHeadersOf(flaggedGet)).toEqual(READABLE_BY(PARTNER));
  });
});

/** A partner app's web origin needs no operator: registering its OAuth redirect URI allows it. */
describe('CORS for partner apps', () => {
  const t = useTestApp();
  const APP_ORIGIN = 'https://time-helper.example';
  const UPDATE_PROFILE = `mutation Profile($input: UpdatePartnerAppProfileInput!) {
    updatePartnerAppProfile(input: $input) { partnerApp { id } ${USER_ERRORS} }
  }`;
  const preflight = (origin: string): Promise<Response> =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('allows the origins of the redirect URIs registered for a live app, and no other', async () => {
    const fixture = await createLedgerFixture(t, [{}]);
    const { partnerApp } = await registerPartnerApp(
      fixture.asCoordinator(),
      fixture.community.id,
      ['ACT_FOR_MEMBER'],
      'Time Helper',
    );
    const redirectUris = [`${APP_ORIGIN}/oauth/callback`, 'com.timehelper.app:/oauth/callback'];
    const profile = await gql<{ updatePartnerAppProfile: { userErrors: unknown[] } }>(
      fixture.asCoordinator(),
      UPDATE_PROFILE,
      {
        input: { partnerAppId: partnerApp.id, redirectUris },
      },
    );
    expect(profile.updatePartnerAppProfile.userErrors).toEqual([]);

    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect((await preflight(STRANGER)).status).toBe(403);
  });
});
