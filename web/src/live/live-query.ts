import { useEffect } from 'react';
import { useQuery } from 'urql';
import type { AnyVariables, UseQueryArgs, UseQueryResponse } from 'urql';

/** How often a live screen asks again while it is in view. */
const POLL_MS = 15_000;

/**
 * A query that stays current while its screen is shown: the one place the app decides how. Today it
 * polls (issue 13 allows the fallback while the API has no subscriptions); when the server's
 * graphql-ws subscriptions land, this is where the screens switch to them. A hidden tab does not poll.
 */
export function useLiveQuery<Data, Variables extends AnyVariables>(
  args: UseQueryArgs<Variables, Data>,
): UseQueryResponse<Data, Variables> {
  // Shown from the cache at once, and asked again on every visit: what another member did meanwhile
  // (a payment, an accepted exchange) touches none of this client's cached results.
  const response = useQuery<Data, Variables>({ requestPolicy: 'cache-and-network', ...args });
  const [, reexecute] = response;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reexecute({ requestPolicy: 'network-only' });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [reexecute]);
  return response;
}
