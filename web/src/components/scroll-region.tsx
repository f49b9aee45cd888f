import type { ReactNode } from 'react';

/**
 * A wide table's frame, scrolled sideways on a phone: focusable and named, so that a keyboard can
 * scroll it and a screen reader announces what it holds.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
