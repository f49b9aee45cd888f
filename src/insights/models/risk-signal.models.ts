import { createUnionType, Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';

/** How much evidence a signal carries at most: enough to act on, bounded whatever the ledger holds. */
export const MAX_CYCLES_SHOWN = 5;
export const MAX_TRANSFERS_SHOWN = 20;

export enum RiskSignalKind {
  CIRCULAR_TRADING = 'circular_trading',
  HOARDING = 'hoarding',
  CHRONIC_DEBT = 'chronic_debt',
  SUDDEN_VELOCITY = 'sudden_velocity',
}
registerEnumType(RiskSignalKind, {
  name: 'RiskSignalKind',
  description: 'Why an account is flagged. A signal asks a coordinator to look, it proves nothing.',
  valuesMap: {
    CIRCULAR_TRADING: {
      description:
        'The account is on a cycle of payments A→B→C→A between three distinct member accounts within the period, each payment after the previous one, ' +
        'so the same money could have gone round. Two-way trade (A→B→A) is not flagged: paying back in kind is what a time bank is for.',
    },
    HOARDING: {
      description:
        "The balance at `to` is at or above hoardingPercent of the account's upper limit. Accounts without an upper limit are never flagged.",
    },
    CHRONIC_DEBT: {
      description:
        'The balance has stayed at or near the lower limit (a negative credit line), within chronicDebtPercent of it, for at least chronicDebtSeconds up to `to`. ' +
        'Accounts without a credit line are never flagged.',
    },
    SUDDEN_VELOCITY: {
      description:
        "The account's volume (paid plus received, with other members) in the last velocityWindowSeconds before `to` is at least velocityMinimumAmount and at least " +
        'velocityFactor times its average over the velocityBaselineWindows windows before.',
    },
  },
});

@ObjectType({ description: 'A posted payment between two member accounts, as evidence.' })
export class RiskTransfer {
  @GlobalIdField('Transfer', { description: 'The transfer, for `transfer(id:)`.' })
  id: string;

  @GlobalIdField('Account', { description: 'The member account that paid.' })
  debitAccountId: string;

  @GlobalIdField('Account', { description: 'The member account that was paid.' })
  creditAccountId: string;

  @Field(() => AmountScalar, { description: 'In minor units of the community currency.' })
  amount: bigint;

  @Field({ description: 'When it posted.' })
  createdAt: Date;
}

@ObjectType({ description: 'Payments A→B, B→C, C→A, in this order of time.' })
export class PaymentCycle {
  @GlobalIdField('Account', {
    list: true,
    description: 'A, B and C: the member accounts in the order the money went round.',
  })
  accountIds: string[];

  @Field(() => [RiskTransfer], {
    description: 'One payment per hop: the first A→B, the first B→C after it, and the last C→A.',
  })
  transfers: RiskTransfer[];
}

@ObjectType({ description: 'Evidence of CIRCULAR_TRADING: the cycles of payments through the account.' })
export class CircularTradingEvidence {
  @Field(() => Int, { description: 'How many distinct cycles within the period pass through the account.' })
  cycleCount: number;

  @Field(() => [PaymentCycle], { description: `Up to ${MAX_CYCLES_SHOWN} of them, earliest first.` })
  cycles: PaymentCycle[];
}

@ObjectType({ isAbstract: true })
abstract class LimitEvidence {
  @Field(() => AmountScalar, { description: 'The balance at `to`.' })
  balance: bigint;

  @Field(() => Int, {
    description: 'The percentage asked for (hoardingPercent or chronicDebtPercent) that sets `threshold`.',
  })
  thresholdPercent: number;

  @Field(() => AmountScalar, { description: 'The balance from which the account counts as near its limit.' })
  threshold: bigint;

  @Field({ description: 'When the balance last came near the limit and stayed there up to `to`.' })
  since: Date;

  @GlobalIdField('Transfer', { description: 'The transfer that brought it there.' })
  sinceTransferId: string;
}

@ObjectType({ description: "Limits are the account's limits today: the ledger does not keep their history." })
export class HoardingEvidence extends LimitEvidence {
  @Field(() => AmountScalar, { description: "The account's upper limit today, in minor units." })
  upperLimit: bigint;
}

@ObjectType({ description: "Limits are the account's limits today: the ledger does not keep their history." })
export class ChronicDebtEvidence extends LimitEvidence {
  @Field(() => AmountScalar, { description: "The account's lower limit today, in minor units (negative)." })
  lowerLimit: bigint;

  @Field(() => Int, { description: 'How long, in seconds, the balance has been near the lower limit by `to`.' })
  durationSeconds: number;

  @Field(() => Int, { description: 'The chronicDebtSeconds asked for: the shortest duration flagged.' })
  minimumSeconds: number;
}

@ObjectType({ description: "Evidence of SUDDEN_VELOCITY: recent volume against the account's own baseline." })
export class SuddenVelocityEvidence {
  @Field({ description: 'The recent window is [windowStart, to).' })
  windowStart: Date;

  @Field(() => Int, { description: 'The length of the recent window and of each baseline window, in seconds.' })
  windowSeconds: number;

  @Field(() => AmountScalar, {
    description:
      'Paid plus received in the recent window, in payments with other member accounts (reversals not counted).',
  })
  recentVolume: bigint;

  @Field(() => AmountScalar, {
    description: 'The same over the baseline: the baselineWindows windows just before windowStart.',
  })
  baselineVolume: bigint;

  @Field(() => Int, { description: 'How many windows the baseline spans.' })
  baselineWindows: number;

  @Field(() => Float, {
    nullable: true,
    description: 'recentVolume over the average baseline window, as a float; null when the baseline is empty.',
  })
  ratio: number | null;

  @Field(() => Int, { description: 'The velocityFactor asked for: the smallest ratio flagged.' })
  factor: number;

  @Field(() => AmountScalar, { description: 'The smallest recent volume flagged, in minor units.' })
  minimumAmount: bigint;

  @Field(() => [RiskTransfer], {
    description: `The largest payments of the recent window, up to ${MAX_TRANSFERS_SHOWN}.`,
  })
  transfers: RiskTransfer[];
}

export type RiskEvidence = CircularTradingEvidence | HoardingEvidence | ChronicDebtEvidence | SuddenVelocityEvidence;

/** Its members are told apart by class (Nest's default resolveType): the service returns instances, never plain objects. */
export const RiskEvidenceUnion = createUnionType({
  name: 'RiskEvidence',
  description: 'What a signal rests on; its type follows the kind.',
  types: () => [CircularTradingEvidence, HoardingEvidence, ChronicDebtEvidence, SuddenVelocityEvidence] as const,
});

@ObjectType({ description: 'A flagged member account, with why and the evidence.' })
export class RiskSignal {
  @Field(() => RiskSignalKind, { description: 'Why the account is flagged; `evidence` has the matching type.' })
  kind: RiskSignalKind;

  @GlobalIdField('Account', { description: 'The flagged member account.' })
  accountId: string;

  @GlobalIdField('Member', { description: 'The member holding the account.' })
  memberId: string;

  @Field({ description: "The member's display name." })
  memberName: string;

  @Field({ description: 'One sentence for people; amounts in minor units.' })
  summary: string;

  @Field(() => RiskEvidenceUnion, { description: 'What the signal rests on, with the thresholds that applied.' })
  evidence: RiskEvidence;
}

@ObjectType({
  description:
    'Risk signals by kind (CIRCULAR_TRADING, HOARDING, CHRONIC_DEBT, SUDDEN_VELOCITY), then by account id. Signals are computed as of `to`: pass `to` to page through one moment.',
})
export class RiskSignalConnection extends ConnectionType(RiskSignal, 'RiskSignal', { totalCount: true }) {}
