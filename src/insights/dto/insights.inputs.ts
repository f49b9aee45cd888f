import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Allow, ArrayMaxSize, IsEnum, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { DEFAULT_PAGE_SIZE, PageCursorArg, PageSizeArg } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { RiskSignalKind } from '../models/risk-signal.models.js';
import { MAX_BUCKETS, StatisticsInterval } from '../statistics-buckets.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

/** Outside these, date arithmetic in PostgreSQL would fail rather than answer; nothing in a ledger is older or that far ahead. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-01-01T00:00:00Z');

function IsLedgerDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isLedgerDate',
    validator: {
      validate: (value) => value instanceof Date && value >= EARLIEST && value < LATEST,
      defaultMessage: () => '$property must be a valid ISO 8601 date-time between 1970 and 9999',
    },
  });
}

const DAY_SECONDS = 86_400;
const YEAR_SECONDS = 366 * DAY_SECONDS;

@ArgsType()
export class CommunityStatisticsArgs {
  @GlobalIdInput('Community', { description: 'The community whose activity to count.' })
  @IsDatabaseId()
  communityId: string;

  @Field({ description: 'Inclusive start of the first bucket. Send a local midnight to align days with a time zone.' })
  @IsLedgerDate()
  from: Date;

  @Field({ description: `Exclusive end of the last bucket; after from, and at most ${MAX_BUCKETS} intervals later.` })
  @IsLedgerDate()
  to: Date;

  @Field(() => StatisticsInterval, { description: 'How long each bucket is.' })
  @IsEnum(StatisticsInterval)
  interval: StatisticsInterval;
}

@ArgsType()
export class RiskSignalsArgs {
  @GlobalIdInput('Community', { description: 'The community whose member accounts to examine.' })
  @IsDatabaseId()
  communityId: string;

  @Field({
    nullable: true,
    description:
      'Start of the period searched for circular trading; by default 30 days before `to`, at most 366 days before it.',
  })
  @IsOptional()
  @IsLedgerDate()
  from?: Date;

  @Field({ nullable: true, description: 'The moment the signals are as of (exclusive); by default now.' })
  @IsOptional()
  @IsLedgerDate()
  to?: Date;

  @Field(() => [RiskSignalKind], { nullable: true, description: 'Only these kinds; by default all.' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(RiskSignalKind, { each: true })
  kinds?: RiskSignalKind[];

  @Field(() => Int, {
    defaultValue: 90,
    description: 'HOARDING: flag a balance at or above this percentage of the upper limit (1 to 100).',
  })
  @IsInt()
  @Min(1)
  @Max(100)
  hoardingPercent: number = 90;

  @Field(() => Int, {
    defaultValue: 10,
    description:
      'CHRONIC_DEBT: near the lower limit means within this percentage of it (0, at the limit itself, to 99).',
  })
  @IsInt()
  @Min(0)
  @Max(99)
  chronicDebtPercent: number = 10;

  @Field(() => Int, {
    defaultValue: 30 * DAY_SECONDS,
    description: 'CHRONIC_DEBT: for at least this many seconds without a break; by default 30 days.',
  })
  @IsInt()
  @Min(1)
  @Max(10 * YEAR_SECONDS)
  chronicDebtSeconds: number = 30 * DAY_SECONDS;

  @Field(() => Int, {
    defaultValue: 7 * DAY_SECONDS,
    description: 'SUDDEN_VELOCITY: the recent window, in seconds before `to`; by default 7 days. At most a year.',
  })
  @IsInt()
  @Min(1)
  @Max(YEAR_SECONDS)
  velocityWindowSeconds: number = 7 * DAY_SECONDS;

  @Field(() => Int, {
    defaultValue: 8,
    description: 'SUDDEN_VELOCITY: the baseline is this many windows before the recent one (1 to 52).',
  })
  @IsInt()
  @Min(1)
  @Max(52)
  velocityBaselineWindows: number = 8;

  @Field(() => Int, {
    defaultValue: 5,
    description:
      'SUDDEN_VELOCITY: flag a recent volume at least this many times the average baseline window (2 to 1000).',
  })
  @IsInt()
  @Min(2)
  @Max(1000)
  velocityFactor: number = 5;

  @Field(() => AmountScalar, {
    nullable: true,
    description:
      'SUDDEN_VELOCITY: and at least this recent volume, so that small accounts waking up are not flagged; by default 10 units of the currency (600 for HOUR). Not negative.',
  })
  @Allow()
  velocityMinimumAmount?: bigint;
}

/** riskSignals' arguments and a page. */
@ArgsType()
export class RiskSignalsConnectionArgs extends RiskSignalsArgs {
  @PageSizeArg()
  first: number = DEFAULT_PAGE_SIZE;

  @PageCursorArg()
  after?: string;
}
