import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { AnyVariables, TypedDocumentNode, UseQueryArgs, UseQueryResponse } from 'urql';

/** How often a screen asks again while its subscription is not working (refused, or the socket cannot connect). */
const POLL_MS = 15_000;
/** While it works, a slow check all the same: a socket that reconnected resumes from then on, not from where it dropped. */
const SAFETY_MS = 60_000;
/** Events that come in a burst are read once: a screen asks again this long after the last of them. */
const SETTLE_MS = 250;

/** The subscription whose events tell a screen that its figures changed (web/src/graphql/operations/live.graphql). */
export interface LiveSource<Variables extends AnyVariables> {
  query: TypedDocumentNode<unknown, Variables>;
  variables: Variables;
}

/**
 * A query that stays current while its screen is shown: the one place the app decides how. The
 * server's subscription for the screen (over graphql-ws) tells it when something changed, and the
 * query is read again; when the subscription fails, the screen polls instead. A hidden tab does not poll.
 */
export function useLiveQuery<Data, Variables extends AnyVariables, LiveVariables extends AnyVariables>(
  args: UseQueryArgs<Variables, Data>,
  live: LiveSource<LiveVariables>,
): UseQueryResponse<Data, Variables> {
  // Shown from the cache at once, and asked again on every visit.
  const response = useQuery<Data, Variables>({ requestPolicy: 'cache-and-network', ...args });
  const [, reexecute] = response;
  const [{ data: event, error: liveError }] = useSubscription({ query: live.query, variables: live.variables });

  useEffect(() => {
    if (!event) return;
    const timer = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [event, reexecute]);

  const everyMs = liveError ? POLL_MS : SAFETY_MS;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reexecute({ requestPolicy: 'network-only' });
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, reexecute]);
  return response;
}
