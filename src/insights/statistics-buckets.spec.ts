import { bucketsBetween, MAX_BUCKETS, StatisticsInterval } from './statistics-buckets.js';

const at = (iso: string): Date => new Date(iso);
const iso = (buckets: { start: Date; end: Date }[] | null): string[][] | null =>
  buckets && buckets.map(({ start, end }) => [start.toISOString(), end.toISOString()]);

describe('statistics buckets', () => {
  it('steps days and weeks from the start, the last bucket ending at the end', () => {
    expect(iso(bucketsBetween(at('2026-03-01T09:00:00Z'), at('2026-03-03T12:00:00Z'), StatisticsInterval.DAY))).toEqual(
      [
        ['2026-03-01T09:00:00.000Z', '2026-03-02T09:00:00.000Z'],
        ['2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z'],
        ['2026-03-03T09:00:00.000Z', '2026-03-03T12:00:00.000Z'],
      ],
    );
    expect(
      iso(bucketsBetween(at('2026-03-02T00:00:00Z'), at('2026-03-16T00:00:00Z'), StatisticsInterval.WEEK)),
    ).toEqual([
      ['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z'],
      ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    ]);
  });

  it('steps calendar months from the start, a 31st falling on the last day of shorter months without drifting', () => {
    expect(
      iso(bucketsBetween(at('2024-01-31T00:00:00Z'), at('2024-04-30T00:00:00Z'), StatisticsInterval.MONTH)),
    ).toEqual([
      ['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z'],
      ['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'],
      ['2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z'],
    ]);
    expect(
      bucketsBetween(at('2025-11-15T00:00:00Z'), at('2026-02-01T00:00:00Z'), StatisticsInterval.MONTH)!.map((bucket) =>
        bucket.start.toISOString(),
      ),
    ).toEqual(['2025-11-15T00:00:00.000Z', '2025-12-15T00:00:00.000Z', '2026-01-15T00:00:00.000Z']);
  });

  it(`allows at most ${MAX_BUCKETS} buckets`, () => {
    const from = at('2024-01-01T00:00:00Z');
    expect(
      bucketsBetween(from, new Date(from.getTime() + MAX_BUCKETS * 86_400_000), StatisticsInterval.DAY),
    ).toHaveLength(MAX_BUCKETS);
    expect(
      bucketsBetween(from, new Date(from.getTime() + MAX_BUCKETS * 86_400_000 + 1), StatisticsInterval.DAY),
    ).toBeNull();
    expect(bucketsBetween(from, at('2054-07-01T00:00:00Z'), StatisticsInterval.MONTH)).toHaveLength(366);
    expect(bucketsBetween(from, at('2054-07-01T00:00:01Z'), StatisticsInterval.MONTH)).toBeNull();
  });
});
