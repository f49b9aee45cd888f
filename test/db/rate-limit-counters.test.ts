import { randomUUID } from 'node:crypto';
import { useTestApp } from '../support/test-app.js';

/**
 * rate_limit_take, the one statement that checks and counts rate limits: a request takes a hit on
 * every counter it names or on none, a burst gets exactly the limit, and a window that has ended
 * starts again.
 */
describe('rate limit counters in the database', () => {
  const t = useTestApp(12);

  const take = async (counters: [key: string, limit: number, windowSeconds: number][]): Promise<number> => {
    const [row] = await t.dataSource.query(
      'SELECT rate_limit_take($1::text[], $2::integer[], $3::integer[]) AS retry_after',
      [
        counters.map(([key]) => key),
        counters.map(([, limit]) => limit),
        counters.map(([, , windowSeconds]) => windowSeconds),
      ],
    );
    return row.retry_after;
  };
  const hits = async (key: string): Promise<number | undefined> =>
    (await t.dataSource.query('SELECT hits FROM rate_limit_counters WHERE key = $1', [key]))[0]?.hits;
  const newKey = (label: string): string => `test ${label} ${randomUUID()}`;

  it('refused on one counter, a request counts on none of the others', async () => {
    const [tight, loose] = [newKey('tight'), newKey('loose')];

    expect(
      await take([
        [tight, 1, 3600],
        [loose, 5, 3600],
      ]),
    ).toBe(0);
    const retryAfter = await take([
      [tight, 1, 3600],
      [loose, 5, 3600],
    ]);

    expect(retryAfter).toBeGreaterThan(3590);
    expect(await hits(tight)).toBe(1);
    expect(await hits(loose)).toBe(1);
  });

  it('gives a burst of 40 concurrent requests over shared counters exactly the limit, without deadlock', async () => {
    const [shared, other] = [newKey('shared'), newKey('other')];

    // Half name the counters in one order, half in the other: locks are taken in key order all the same.
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        take(
          index % 2
            ? [
                [shared, 7, 3600],
                [other, 100, 3600],
              ]
            : [
                [other, 100, 3600],
                [shared, 7, 3600],
              ],
        ),
      ),
    );

    expect(outcomes.filter((retryAfter) => retryAfter === 0)).toHaveLength(7);
    expect(await hits(shared)).toBe(7);
    expect(await hits(other)).toBe(7);
  });

  it('starts a new window once the last has ended', async () => {
    const key = newKey('window');
    expect(await take([[key, 1, 1]])).toBe(0);
    expect(await take([[key, 1, 1]])).toBeGreaterThan(0);

    await new Promise((resolve) => setTimeout(resolve, 1100));

    expect(await take([[key, 1, 1]])).toBe(0);
    expect(await hits(key)).toBe(1);
  });
});
