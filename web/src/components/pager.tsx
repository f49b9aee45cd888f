import { useState } from 'react';

/** A connection's page info, as every paged query here selects it. */
interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Pages {
  /** The cursor to ask the current page with: null for the first. */
  after: string | null;
  /** Back to the first page (when the filters change). */
  reset: () => void;
  back: (() => void) | null;
  on: (pageInfo: PageInfo | undefined) => (() => void) | null;
}

/**
 * Paging through a connection: the cursors of the pages read so far are kept, so that the reader
 * can go back as well as on (connections here page forwards only).
 */
export function usePages(): Pages {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    after: cursors.at(-1) ?? null,
    reset: () => setCursors([]),
    back: cursors.length > 0 ? () => setCursors(cursors.slice(0, -1)) : null,
    on: (pageInfo) => {
      const next = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
      return next ? () => setCursors([...cursors, next]) : null;
    },
  };
}

/** The buttons to the previous and next pages, each shown when there is one. */
export function Pager({
  pages,
  pageInfo,
  labels,
}: {
  pages: Pages;
  pageInfo: PageInfo | undefined;
  labels: { back: string; on: string };
}) {
  const next = pages.on(pageInfo);
  return (
    <div className="actions">
      {pages.back && (
        <button type="button" onClick={pages.back}>
          {labels.back}
        </button>
      )}
      {next && (
        <button type="button" onClick={next}>
          {labels.on}
        </button>
      )}
    </div>
  );
}
