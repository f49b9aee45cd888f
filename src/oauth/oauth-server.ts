import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { Adapter, AdapterPayload, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { AppConfig } from '../../libs/config/app-config.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { PartnerScope } from '../access/actor.js';
import { REFRESH_TOKEN_TTL_SECONDS } from '../identity/identity.service.js';
import { OAuthPayloadAdapter } from './oauth-payload.adapter.js';
import { OAuthRepository } from './oauth.repository.js';
import { ApprovableScope, errorPage } from './pages.js';

/**
 * oidc-provider is loaded on first use rather than at start: the command-line tools build the
 * application (print-schema, create-admin) without ever serving OAuth, and the library warns, as
 * it is imported, on runtimes older than Node.js 22 (it runs on 20, which it no longer supports).
 */
let library: Promise<typeof import('oidc-provider')> | undefined;
export const oidcProvider = (): Promise<typeof import('oidc-provider')> => (library ??= import('oidc-provider'));

/** What a member can approve: today's partner scopes that act for a member. AUDIT_READ is the app's own (API key). */
export const OAUTH_SCOPES: readonly string[] = [PartnerScope.ACT_FOR_MEMBER] satisfies ApprovableScope[];

export const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;

/**
 * Opaque tokens carry this many random bits: 43 base64url characters. Pumasi's own tokens and keys
 * are a 3-character prefix and 43 characters, so the two kinds are told apart by length alone.
 */
const TOKEN_BITS = 256;
export const OAUTH_TOKEN_LENGTH = Math.ceil(TOKEN_BITS / 6);

/** Where the library's endpoints live in this server. */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  revocation: '/oauth/revoke',
  jwks: '/oauth/jwks',
  end_session: '/oauth/logout',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** RFC 8414 fields that describe what this server does; the library's OpenID Connect ones are left out. */
const METADATA_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'response_types_supported',
  'response_modes_supported',
  'grant_types_supported',
  'code_challenge_methods_supported',
  'token_endpoint_auth_methods_supported',
  'authorization_response_iss_parameter_supported',
];

/**
 * The OAuth 2.1 authorization server for partner apps, built on oidc-provider: the
 * authorization-code flow with PKCE (S256, required), public clients (the partner apps, with their
 * registered redirect URIs), short opaque access tokens, refresh tokens that rotate and are
 * refused (with their whole grant) when replayed, and token revocation. The sign-in and consent
 * pages are ours (ConsentPages); so is the metadata document, trimmed to what this server does.
 */
interface Built {
  provider: Provider;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

@Injectable()
export class OAuthServer {
  private built?: Promise<Built>;

  constructor(
    private readonly config: AppConfig,
    private readonly db: TransactionalConnection,
    private readonly repository: OAuthRepository,
  ) {}

  async provider(): Promise<Provider> {
    return (await this.build()).provider;
  }

  /** Serves the library's own routes (OAUTH_ROUTES and the metadata); anything else gets its 404. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return (await this.build()).handler(req, res);
  }

  private build(): Promise<Built> {
    this.built ??= oidcProvider().then(({ default: Provider }) => {
      const { publicUrl, trustProxy } = this.config;
      const provider = new Provider(publicUrl, configuration(this.db, this.repository));
      // Behind a proxy that Express trusts, the library must read the forwarded scheme too (secure cookies, URLs).
      provider.proxy = trustProxy !== false;
      provider.use(async (ctx, next) => {
        await next();
        // The library's context is untyped here; only the name of the route it served is read.
        if ((ctx as { oidc?: { route?: string } }).oidc?.route === 'discovery') {
          ctx.body = authorizationServerMetadata(ctx.body as Record<string, unknown>, publicUrl);
        }
      });
      return { provider, handler: provider.callback() };
    });
    return this.built;
  }

  /** Checks redirect URIs as the library will when it loads the app as a client: the refusal's text, or null. */
  async redirectUrisRefusal(partnerAppId: string, redirectUris: string[]): Promise<string | null> {
    // OAuth 2.1 allows plain http for a loopback redirect only; the library would take any http URI of a web app.
    const plainHttp = redirectUris.find(
      (uri) => /^http:/i.test(uri) && !(URL.canParse(uri) && LOOPBACK_HOSTS.has(new URL(uri).hostname)),
    );
    if (plainHttp) return `${plainHttp} uses http on a host other than a loopback address`;
    try {
      await (await this.provider()).Client.validate(clientMetadata({ id: partnerAppId, name: 'check', redirectUris }));
      return null;
    } catch (error) {
      const { errors } = await oidcProvider();
      if (error instanceof errors.InvalidClientMetadata) return error.error_description ?? error.message;
      throw error;
    }
  }
}

/** The metadata, with every endpoint on PUBLIC_URL (links are never built on a request's Host header). */
function authorizationServerMetadata(discovered: Record<string, unknown>, publicUrl: string): Record<string, unknown> {
  const base = publicUrl.replace(/\/$/, '');
  const metadata: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    const value = discovered[field];
    metadata[field] = field.endsWith('_endpoint') && typeof value === 'string' ? base + new URL(value).pathname : value;
  }
  // The revocation endpoint authenticates clients as the token endpoint does: said, as RFC 8414's default differs.
  const revocationMethods = discovered.token_endpoint_auth_methods_supported;
  return {
    ...metadata,
    scopes_supported: OAUTH_SCOPES,
    revocation_endpoint_auth_methods_supported: revocationMethods,
  };
}

interface ClientSource {
  id: string;
  name: string;
  redirectUris: string[];
  websiteUrl?: string | null;
  logoUrl?: string | null;
  contactEmail?: string | null;
}

/** A partner app as an OAuth client: public (no secret), code flow only; native when it redirects to its own scheme. */
function clientMetadata(app: ClientSource): ClientMetadata {
  const native = app.redirectUris.some((uri) => !/^https?:/i.test(uri));
  return {
    client_id: app.id,
    client_name: app.name,
    application_type: native ? 'native' : 'web',
    redirect_uris: app.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: OAUTH_SCOPES.join(' '),
    ...(app.websiteUrl ? { client_uri: app.websiteUrl } : {}),
    ...(app.logoUrl ? { logo_uri: app.logoUrl } : {}),
    ...(app.contactEmail ? { contacts: [app.contactEmail] } : {}),
  };
}

/**
 * The library's Client model, read from partner_apps on every request (it caches only the parsed
 * metadata): the apps that may act for members and have a redirect URI. A revoked app is no client
 * from its revocation on. Apps are registered by coordinators (registerPartnerApp), never through
 * the library, so it never writes here.
 */
class PartnerAppClients implements Adapter {
  constructor(private readonly repository: OAuthRepository) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const app = isDatabaseId(id) ? await this.repository.client(id) : null;
    if (!app || !app.scopes.includes(PartnerScope.ACT_FOR_MEMBER) || app.redirectUris.length === 0) return undefined;
    return clientMetadata(app);
  }

  upsert(): Promise<void> {
    return refuseClientWrite();
  }

  findByUid(): Promise<undefined> {
    return refuseClientWrite();
  }

  findByUserCode(): Promise<undefined> {
    return refuseClientWrite();
  }

  consume(): Promise<void> {
    return refuseClientWrite();
  }

  destroy(): Promise<void> {
    return refuseClientWrite();
  }

  revokeByGrantId(): Promise<void> {
    return refuseClientWrite();
  }
}

function refuseClientWrite(): Promise<never> {
  return Promise.reject(new Error('Partner apps are clients through registerPartnerApp only'));
}

/**
 * Nothing is signed with this key: the server issues no ID tokens ('openid' is refused at
 * sign-in), its tokens are opaque, and JWT responses are off. The library insists on a key set,
 * and a fresh one per process is never the well-known development key it would use otherwise.
 */
function unusedSigningKeys(): { keys: Record<string, unknown>[] } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256' }] };
}

function configuration(db: TransactionalConnection, repository: OAuthRepository): Configuration {
  return {
    adapter: (model: string) =>
      model === 'Client' ? new PartnerAppClients(repository) : new OAuthPayloadAdapter(model, db),
    findAccount: async (_ctx, sub) =>
      isDatabaseId(sub) && (await repository.memberExists(sub))
        ? { accountId: sub, claims: () => ({ sub }) }
        : undefined,
    jwks: unusedSigningKeys(),
    clientDefaults: { id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'none' },
    clientAuthMethods: ['none'],
    responseTypes: ['code'],
    scopes: [...OAUTH_SCOPES],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      // An app revokes only its own tokens; another's are ignored as RFC 7009 answers them, so none can be probed.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: { enabled: false },
      introspection: { enabled: false },
    },
    routes: OAUTH_ROUTES,
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/oauth/interaction/${interaction.uid}` },
    formats: { bitsOfOpaqueRandomness: TOKEN_BITS },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
      // A consent lasts until it is withdrawn; the grant behind its tokens is renewed by approving again after a year.
      Grant: 365 * 24 * 3600,
      Interaction: 10 * 60,
      // The sign-in at Pumasi is remembered briefly: approving a second app does not ask for the password again.
      Session: 60 * 60,
    },
    // Tokens outlive the sign-in: they belong to the app, until the member or a coordinator withdraws them.
    expiresWithSession: () => false,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    renderError: (ctx, out) => {
      const shown = errorPage(
        ctx.status >= 400 ? ctx.status : 400,
        'This request cannot continue',
        `${out.error}${out.error_description ? `: ${out.error_description}` : ''}`,
      );
      ctx.status = shown.status;
      ctx.set('content-security-policy', shown.csp);
      ctx.type = 'html';
      ctx.body = shown.html;
    },
  };
}
