import { LISTING_WORDS } from '../../src/listings/listings.repository.js';
import { useTestApp } from '../support/test-app.js';

/**
 * The listing search and its index are written in two places that cannot import each other: the
 * runtime query (src/listings/) and the migration that built IDX_listings_search (frozen history).
 * PostgreSQL uses an expression index only for the very same expression, so this asks the planner.
 */
describe('listing search', () => {
  const t = useTestApp(2);

  it('can use the search index with the expression the runtime queries with', async () => {
    const plan = await t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(
        `EXPLAIN SELECT id FROM listings WHERE (${LISTING_WORDS}) @@ websearch_to_tsquery('simple', 'garden')`,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });

    expect(plan).toContain('IDX_listings_search');
  });
});
