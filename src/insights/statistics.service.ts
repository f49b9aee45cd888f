import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CommunityStatisticsArgs } from './dto/insights.inputs.js';
import { auditedCurrency, badInput } from './insights.guards.js';
import {
  CategoryAmount,
  CommunityStatistics,
  DistrictAmount,
  ExchangeActivity,
  StatisticsBucket,
} from './models/statistics.models.js';
import { BucketRow, StatisticsRepository } from './statistics.repository.js';
import { Bucket, bucketsBetween, MAX_BUCKETS } from './statistics-buckets.js';

/** A community's activity over time, for its auditors: coordinators, admins, and partner apps with AUDIT_READ. */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly repository: StatisticsRepository,
    private readonly access: AccessPolicy,
    private readonly ledger: LedgerService,
  ) {}

  async communityStatistics(actor: Actor, args: CommunityStatisticsArgs): Promise<CommunityStatistics> {
    const currency = await auditedCurrency(this.access, this.ledger, actor, args.communityId);
    if (args.from >= args.to) throw badInput('from must be before to');
    const buckets = bucketsBetween(args.from, args.to, args.interval);
    if (!buckets)
      throw badInput(
        `from and to may span at most ${MAX_BUCKETS} intervals: choose a wider interval or a shorter period`,
      );
    const rows = await this.repository.statistics(args.communityId, buckets);
    return {
      communityId: args.communityId,
      currency,
      from: args.from,
      to: args.to,
      interval: args.interval,
      buckets: rows.buckets.map((row, index) => toBucket(buckets[index], row)),
      total: { ...sumOf(rows.buckets.map(toActivity)), activeMembers: rows.activeMembers },
    };
  }
}

function toActivity(row: BucketRow): ExchangeActivity {
  return {
    amountExchanged: BigInt(row.amountExchanged),
    reversedAmount: BigInt(row.reversedAmount),
    transferCount: row.transferCount,
    byCategory: row.byCategory.map(({ category, amount }) => ({ category, amount: BigInt(amount) })),
    byDistrict: row.byDistrict.map(({ district, amount }) => ({ district, amount: BigInt(amount) })),
    activeMembers: row.activeMembers,
    newMembers: row.newMembers,
  };
}

function toBucket({ start, end }: Bucket, row: BucketRow): StatisticsBucket {
  const activity = toActivity(row);
  const moneyInMembersHands = BigInt(row.moneyInMembersHands);
  // A ratio, so a float is what it is; amounts stay exact.
  const velocity = moneyInMembersHands === 0n ? null : Number(activity.amountExchanged) / Number(moneyInMembersHands);
  return { start, end, ...activity, moneyInMembersHands, velocity };
}

/** The buckets added up; activeMembers is left for the caller, since members active in two buckets count once. */
function sumOf(buckets: ExchangeActivity[]): ExchangeActivity {
  return {
    amountExchanged: buckets.reduce((sum, bucket) => sum + bucket.amountExchanged, 0n),
    reversedAmount: buckets.reduce((sum, bucket) => sum + bucket.reversedAmount, 0n),
    transferCount: buckets.reduce((sum, bucket) => sum + bucket.transferCount, 0),
    byCategory: mergeByKey(
      buckets.flatMap((bucket) => bucket.byCategory),
      (part) => part.category,
      (category, amount): CategoryAmount => ({ category, amount }),
    ),
    byDistrict: mergeByKey(
      buckets.flatMap((bucket) => bucket.byDistrict),
      (part) => part.district,
      (district, amount): DistrictAmount => ({ district, amount }),
    ),
    activeMembers: 0,
    newMembers: buckets.reduce((sum, bucket) => sum + bucket.newMembers, 0),
  };
}

/** Adds up the amounts of parts sharing a key; largest first, as each bucket lists them, then by key with null last. */
function mergeByKey<T extends { amount: bigint }>(
  parts: T[],
  keyOf: (part: T) => string | null,
  make: (key: string | null, amount: bigint) => T,
): T[] {
  const sums = new Map<string | null, bigint>();
  for (const part of parts) sums.set(keyOf(part), (sums.get(keyOf(part)) ?? 0n) + part.amount);
  const order = ([keyA, amountA]: [string | null, bigint], [keyB, amountB]: [string | null, bigint]): number => {
    if (amountA !== amountB) return amountA > amountB ? -1 : 1;
    if (keyA === null || keyB === null) return keyA === keyB ? 0 : keyA === null ? 1 : -1;
    return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  };
  return [...sums].sort(order).map(([key, amount]) => make(key, amount));
}
