import { createHash, randomBytes } from 'node:crypto';

/**
 * A partner app and a member's browser, over real HTTP with fetch: redirects are followed by hand
 * (each hop checked), cookies kept per path as a browser keeps them, forms read from the pages.
 */

export const REDIRECT_URI = 'https://partner.example/oauth/callback';
export const SCOPE = 'act_for_member';

/** RFC 7636: a verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Cookies as a browser holds them for one site: by name and path, sent where the path matches. */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const attribute = (key: string) =>
        attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      const path = attribute('path') ?? '/';
      const expires = attribute('expires');
      const key = `${name} ${path}`;
      if (value === '' || (expires && Date.parse(expires) <= Date.now())) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.values()]
      .filter(({ path }) => pathname.startsWith(path))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

export interface Hop {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

/** One browser: GETs and form POSTs with its cookies, never following a redirect by itself. */
export class Browser {
  readonly jar = new CookieJar();

  constructor(private readonly base: string) {}

  async get(url: string): Promise<Hop> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Hop> {
    return this.send(url, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  private async send(url: string, init: RequestInit): Promise<Hop> {
    const absolute = new URL(url, this.base).href;
    const response = await fetch(absolute, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: this.jar.header(absolute) },
    });
    this.jar.store(response);
    const location = response.headers.get('location');
    return {
      status: response.status,
      location: location && new URL(location, absolute).href,
      body: await response.text(),
      headers: response.headers,
    };
  }
}

/** The one form's action on a page, as the browser would post it. */
export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form on the page:\n${html}`);
  return match[1].replace(/&amp;/g, '&');
}

export interface AuthorizeParams {
  clientId: string;
  challenge?: string;
  method?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
}

export function authorizeUrl(base: string, params: AuthorizeParams): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri ?? REDIRECT_URI,
  });
  if (params.scope !== '') query.set('scope', params.scope ?? SCOPE);
  if (params.challenge) query.set('code_challenge', params.challenge);
  if (params.challenge || params.method) query.set('code_challenge_method', params.method ?? 'S256');
  query.set('state', params.state ?? 'state-1');
  return `${base}/oauth/authorize?${query.toString()}`;
}

/** Follows redirects on the server until a page (200, 4xx) or a redirect that leaves it (the app's redirect URI). */
export async function follow(browser: Browser, base: string, first: Hop): Promise<Hop> {
  let hop = first;
  for (let hops = 0; hop.location?.startsWith(base) && hops < 10; hops++) hop = await browser.get(hop.location);
  return hop;
}

/** The query of the redirect back to the app. */
export function callbackParams(hop: Hop): URLSearchParams {
  expect(hop.status).toBe(303);
  expect(hop.location!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  return new URL(hop.location!).searchParams;
}

export interface TokenResponse {
  status: number;
  body: Record<string, any>;
}

export async function tokenRequest(base: string, form: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export function exchangeCode(base: string, clientId: string, code: string, verifier: string): Promise<TokenResponse> {
  return tokenRequest(base, {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  });
}

export function refresh(base: string, clientId: string, refreshToken: string): Promise<TokenResponse> {
  return tokenRequest(base, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
}

/**
 * The whole approval as a member does it in a browser: the app's authorize link, the sign-in
 * page, the consent page (returned for its content), Allow; and the code the app receives.
 */
export async function approveInBrowser(
  base: string,
  clientId: string,
  email: string,
  password: string,
): Promise<{
  code: string;
  verifier: string;
  loginPage: string;
  consentPage: string;
}> {
  const browser = new Browser(base);
  const { verifier, challenge } = pkce();
  const login = await follow(browser, base, await browser.get(authorizeUrl(base, { clientId, challenge })));
  expect(login.status).toBe(200);
  const consent = await follow(browser, base, await browser.post(formAction(login.body), { email, password }));
  expect(consent.status).toBe(200);
  const back = await follow(browser, base, await browser.post(formAction(consent.body), { decision: 'approve' }));
  const params = callbackParams(back);
  expect(params.get('state')).toBe('state-1');
  expect(params.get('iss')).toBe(base);
  return { code: params.get('code')!, verifier, loginPage: login.body, consentPage: consent.body };
}
