import { useId, useState } from 'react';
import type { ReactNode } from 'react';

/**
 * A button that shows or hides what it names (aria-expanded): what is hidden is not drawn at all,
 * so that a screen of many tables opens with none of them but the one it leads with.
 */
export function Disclosure({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="disclosure">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}
      </button>
      <div id={id} hidden={!open}>
        {open && children}
      </div>
    </div>
  );
}
