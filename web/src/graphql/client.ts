import { authExchange } from '@urql/exchange-auth';
import { cacheExchange, Client, fetchExchange } from 'urql';
import type { CombinedError } from 'urql';
import { isExpiring, loadTokens, saveTokens } from '../session/tokens';
import { RefreshTokensDocument } from './generated';

/** What the server answers an expired or revoked token with (docs/api.md, "Errors"). */
const UNAUTHENTICATED = 'UNAUTHENTICATED';

const isUnauthenticated = (error: CombinedError): boolean =>
  error.graphQLErrors.some((e) => e.extensions.code === UNAUTHENTICATED) ||
  (error.response as Response | undefined)?.status === 401;

/**
 * The app's one GraphQL client: urql, on this server's /graphql. The auth exchange adds the access
 * token, and refreshes the pair with `refreshTokens` when it is about to expire or the server turned
 * it down; when that fails too the session is over and `onSignedOut` runs.
 */
export function createClient(onSignedOut: () => void): Client {
  return new Client({
    url: '/graphql',
    // Queries too go as POST: the server refuses a GET that could be a cross-site request (Apollo's
    // CSRF prevention), and answers are never cached by URL.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const tokens = loadTokens();
          return tokens ? utils.appendHeaders(operation, { authorization: `Bearer ${tokens.accessToken}` }) : operation;
        },
        willAuthError() {
          const tokens = loadTokens();
          return tokens !== null && isExpiring(tokens);
        },
        didAuthError: isUnauthenticated,
        async refreshAuth() {
          const tokens = loadTokens();
          const result = tokens
            ? await utils.mutate(RefreshTokensDocument, { input: { refreshToken: tokens.refreshToken } })
            : undefined;
          const next = result?.data?.refreshTokens.tokens ?? null;
          saveTokens(next);
          if (!next) onSignedOut();
        },
      })),
      fetchExchange,
    ],
  });
}
