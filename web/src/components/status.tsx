import { useState } from 'react';
import type { ReactNode } from 'react';
import type { UseQueryExecute } from 'urql';

/**
 * A message about the screen's state: read out by screen readers as it appears (role=status for
 * progress and success, role=alert for what went wrong).
 */
export function Status({ kind, children }: { kind: 'loading' | 'done' | 'error'; children: ReactNode }) {
  return (
    <p className={`status status-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** What the last action on a screen came to, in the member's words. */
export interface Outcome {
  kind: 'done' | 'error';
  text: string;
}

export function OutcomeStatus({ outcome }: { outcome: Outcome | null }) {
  return outcome && <Status kind={outcome.kind}>{outcome.text}</Status>;
}

/**
 * The last action's outcome on a screen that lists what actions change: reporting one also asks
 * the screen's query again, from the server, so that the list shows the change.
 */
export function useOutcome(refresh: UseQueryExecute): [Outcome | null, (outcome: Outcome) => void] {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const report = (next: Outcome) => {
    setOutcome(next);
    refresh({ requestPolicy: 'network-only' });
  };
  return [outcome, report];
}

/** Why a mutation was refused: its first userError, or the request's own error; undefined when it was done. */
export function refusalOf(
  payload: { userErrors: readonly { message: string }[] } | null | undefined,
  error: { message: string } | undefined,
): string | undefined {
  return payload?.userErrors[0]?.message ?? error?.message;
}
