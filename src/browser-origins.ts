import { AppConfig } from '../libs/config/app-config.js';
import { OriginCheck } from '../libs/http/cors.js';

/**
 * The origins whose web pages may call the API: the server's own web app (PUBLIC_URL's origin) and
 * those the operator lists in CORS_ORIGINS. Registered partner apps' own web origins belong here
 * too, once partner apps record them (with their OAuth redirect URIs): this check is where to look
 * them up, among the apps not revoked, and it may query the database since it returns a promise.
 */
export function browserOrigins(config: AppConfig): OriginCheck {
  const allowed = new Set([new URL(config.publicUrl).origin, ...config.corsOrigins]);
  return async (origin) => allowed.has(origin);
}
