import type { ReactNode } from 'react';

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
