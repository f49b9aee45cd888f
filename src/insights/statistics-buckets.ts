import { registerEnumType } from '@nestjs/graphql';

export enum StatisticsInterval {
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(StatisticsInterval, {
  name: 'StatisticsInterval',
  description: 'The width of one bucket of a statistics series, counted in UTC from the series start.',
  valuesMap: {
    DAY: { description: '24 hours.' },
    WEEK: { description: '7 days.' },
    MONTH: {
      description: 'One calendar month; a start on the 31st falls on the last day of shorter months, as in PostgreSQL.',
    },
  },
});

/** A chart of a year by day is the most anyone needs at once; more would only make the database work for nothing. */
export const MAX_BUCKETS = 366;

export interface Bucket {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** The start of bucket `index` (0-based): `from` plus that many intervals, in UTC. */
function bucketStart(from: Date, interval: StatisticsInterval, index: number): Date {
  if (interval === StatisticsInterval.DAY) return new Date(from.getTime() + index * DAY_MS);
  if (interval === StatisticsInterval.WEEK) return new Date(from.getTime() + index * 7 * DAY_MS);
  return addUtcMonths(from, index);
}

/** Calendar months in UTC, keeping the day of the month where it exists and else the month's last day. */
function addUtcMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return shifted;
}

/**
 * The buckets of [from, to): each starts `interval` after the previous one, and the last ends at
 * `to` (so it may be shorter). Null when there would be more than MAX_BUCKETS of them.
 */
export function bucketsBetween(from: Date, to: Date, interval: StatisticsInterval): Bucket[] | null {
  const buckets: Bucket[] = [];
  for (let index = 0; ; index++) {
    const start = bucketStart(from, interval, index);
    if (start >= to) return buckets;
    if (buckets.length === MAX_BUCKETS) return null;
    const next = bucketStart(from, interval, index + 1);
    buckets.push({ start, end: next < to ? next : to });
  }
}
