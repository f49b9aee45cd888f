import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { Currency } from '../../ledger/models/ledger.models.js';
import { StatisticsInterval } from '../statistics-buckets.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';

const EXCHANGED =
  'Money members paid one another: the posted transfers (direct, and posted holds) from one member account of the community to another, ' +
  'counted when posted. A reversal of such a transfer counts negative when it posts, so a period holds the net amount and may even be ' +
  'negative. Grants, levies and other moves to or from the community accounts are not exchanges, and holds count only once posted.';

@ObjectType({ description: 'Part of the amount exchanged, by the listing category of the exchange it paid for.' })
export class CategoryAmount {
  @Field(() => String, {
    nullable: true,
    description:
      'A listing category slug (see listingCategories); null for payments not tied to an exchange on a listing (direct payments, direct exchanges).',
  })
  category: string | null;

  @Field(() => AmountScalar, { description: 'The part of amountExchanged for this category, in minor units.' })
  amount: bigint;
}

@ObjectType({ description: 'Part of the amount exchanged, by district.' })
export class DistrictAmount {
  @Field(() => String, {
    nullable: true,
    description:
      "The district of the listing paid for; else the district in the profile of the member who was paid (today's profile); null when neither names one.",
  })
  district: string | null;

  @Field(() => AmountScalar, { description: 'The part of amountExchanged for this district, in minor units.' })
  amount: bigint;
}

@ObjectType({ isAbstract: true })
export abstract class ExchangeActivity {
  @Field(() => AmountScalar, { description: EXCHANGED })
  amountExchanged: bigint;

  @Field(() => AmountScalar, {
    description: 'The reversals among them, as a positive amount: amountExchanged is net of it.',
  })
  reversedAmount: bigint;

  @Field(() => Int, { description: 'How many transfers amountExchanged counts, reversals included.' })
  transferCount: number;

  @Field(() => [CategoryAmount], { description: 'amountExchanged by category, summing exactly to it; largest first.' })
  byCategory: CategoryAmount[];

  @Field(() => [DistrictAmount], { description: 'amountExchanged by district, summing exactly to it; largest first.' })
  byDistrict: DistrictAmount[];

  @Field(() => Int, {
    description:
      "Distinct members with any posting on a member account of theirs (an exchange, a grant, a coordinator's correction).",
  })
  activeMembers: number;

  @Field(() => Int, {
    description: 'Memberships of the community that first became active (were approved) then, coordinators included.',
  })
  newMembers: number;
}

@ObjectType({ description: 'One bucket of a statistics series: [start, end).' })
export class StatisticsBucket extends ExchangeActivity {
  @Field({ description: 'Inclusive start of the bucket.' })
  start: Date;

  @Field({ description: 'Exclusive. The last bucket ends at the series end, so it may be shorter than the interval.' })
  end: Date;

  @Field(() => AmountScalar, {
    description:
      "Money in members' hands at the bucket's end: the sum of the positive balances of the community's member accounts.",
  })
  moneyInMembersHands: bigint;

  @Field(() => Float, {
    nullable: true,
    description:
      "amountExchanged / moneyInMembersHands, as a float: how many times the money in members' hands changed hands in the bucket. Null when no member holds money.",
  })
  velocity: number | null;
}

@ObjectType({
  description: 'The whole period at once: the buckets summed, except activeMembers, which counts each member once.',
})
export class StatisticsTotal extends ExchangeActivity {}

@ObjectType({ description: "A community's activity over a period, bucket by bucket, ready for charts." })
export class CommunityStatistics {
  @GlobalIdField('Community', { description: 'The community counted.' })
  communityId: string;

  @Field(() => Currency, { description: 'Every amount is in minor units of this currency.' })
  currency: Currency;

  @Field({ description: 'Inclusive start of the series, as asked.' })
  from: Date;

  @Field({ description: 'Exclusive end of the series, as asked.' })
  to: Date;

  @Field(() => StatisticsInterval, { description: 'The length of each bucket, as asked.' })
  interval: StatisticsInterval;

  @Field(() => [StatisticsBucket], { description: 'Oldest first; the first starts at `from`, the last ends at `to`.' })
  buckets: StatisticsBucket[];

  @Field(() => StatisticsTotal, { description: 'The whole period, summed.' })
  total: StatisticsTotal;
}
