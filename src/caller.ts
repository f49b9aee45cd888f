import type { Actor } from './access/actor.js';
import { databaseIdOf } from '../libs/graphql/global-id.js';
import type { RequestHeaders } from '../libs/graphql/graphql-options.js';
import { IdentityService } from './identity/identity.service.js';
import { OAuthAccessService } from './oauth/oauth-access.service.js';

const header = (req: RequestHeaders, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Who is calling, from an HTTP request's Authorization (and X-Acting-For) headers, or a
 * subscription socket's connection_init payload with the same names: OAuth, or identity.
 */
export async function actorContext(
  identity: IdentityService,
  oauth: OAuthAccessService,
  req: RequestHeaders,
): Promise<{ actor: Actor }> {
  const actingFor = header(req, 'x-acting-for');
  const credentials = {
    authorization: header(req, 'authorization'),
    // A member's global id, or (deprecated) the bare one: decoded here, at the edge, as arguments are.
    actingFor: actingFor === undefined ? undefined : databaseIdOf(actingFor, 'Member'),
  };
  return { actor: (await oauth.authenticate(credentials)) ?? (await identity.authenticate(credentials)) };
}
