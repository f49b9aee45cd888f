import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../libs/config/app-config.js';
import { OriginCheck } from '../libs/http/cors.js';

/**
 * How long the partner apps' origins are reused before they are read again. CORS is not
 * authorization: an origin that lingers this long after its app is revoked reaches nothing, since
 * the app's keys and tokens died with it.
 */
const PARTNER_ORIGINS_TTL_MS = 30_000;

/**
 * The origins whose web pages may call the API (and the OAuth token endpoint): the server's own web
 * app (PUBLIC_URL's origin), those the operator lists in CORS_ORIGINS, and the web origins of the
 * live partner apps' registered OAuth redirect URIs. `dataSource` is asked on first use only, so
 * that an app built without a database (npm run schema) never needs one.
 */
export function browserOrigins(config: AppConfig, dataSource: () => DataSource): OriginCheck {
  const allowed = new Set([new URL(config.publicUrl).origin, ...config.corsOrigins]);
  const partnerOrigins = cachedPartnerAppOrigins(dataSource);
  return async (origin) => allowed.has(origin) || (await partnerOrigins()).has(origin);
}

function cachedPartnerAppOrigins(dataSource: () => DataSource): () => Promise<Set<string>> {
  let cached: { origins: Promise<Set<string>>; until: number } | undefined;
  return () => {
    if (!cached || cached.until <= Date.now()) {
      cached = { origins: readPartnerAppOrigins(dataSource()), until: Date.now() + PARTNER_ORIGINS_TTL_MS };
    }
    return cached.origins;
  };
}

async function readPartnerAppOrigins(dataSource: DataSource): Promise<Set<string>> {
  try {
    const rows: { uri: string }[] = await dataSource.query(
      'SELECT DISTINCT unnest(redirect_uris) AS uri FROM partner_apps WHERE revoked_at IS NULL',
    );
    return new Set(rows.flatMap(({ uri }) => webOrigin(uri)));
  } catch (error) {
    // Closed rather than failing the request: the server's own and the configured origins still work.
    new Logger('CORS').warn(`Partner apps' origins could not be read: ${String(error)}`);
    return new Set();
  }
}

/** A native app's redirect (com.example.app:/callback) has no web origin to allow. */
function webOrigin(uri: string): string[] {
  const url = URL.canParse(uri) ? new URL(uri) : null;
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? [url.origin] : [];
}
