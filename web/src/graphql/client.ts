import { authExchange } from '@urql/exchange-auth';
import { createClient as createSocketClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from 'urql';
import type { Exchange } from 'urql';
import type { CombinedError } from 'urql';
import { isExpiring, loadTokens, saveTokens } from '../session/tokens';
import { RefreshTokensDocument } from './generated';

/** What the server answers an expired or revoked token with (docs/api.md, "Errors"). */
const UNAUTHENTICATED = 'UNAUTHENTICATED';

const isUnauthenticated = (error: CombinedError): boolean =>
  error.graphQLErrors.some((e) => e.extensions.code === UNAUTHENTICATED) ||
  (error.response as Response | undefined)?.status === 401;

/**
 * Subscriptions over this server's /graphql WebSocket (graphql-ws), with the current access token
 * in connection_init. The socket opens with the first subscription and closes after the last; it
 * reconnects whatever the close (the server closes it when the token it was opened with expires,
 * and the next connection takes the refreshed one).
 */
function subscriptions(): Exchange {
  const socket = createSocketClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => {
      const tokens = loadTokens();
      return tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {};
    },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  return subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink) }),
    }),
  });
}

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
      subscriptions(),
    ],
  });
}
