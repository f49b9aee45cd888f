import { Injectable } from '@nestjs/common';
import { ConnectionCursors, CountedConnection, PageRequest } from '../../libs/graphql/pagination.js';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Currency } from '../ledger/models/ledger.models.js';
import { RiskSignalsArgs } from './dto/insights.inputs.js';
import {
  ChronicDebtEvidence,
  CircularTradingEvidence,
  HoardingEvidence,
  PaymentCycle,
  RiskSignal,
  RiskSignalKind,
  RiskTransfer,
  SuddenVelocityEvidence,
} from './models/risk-signal.models.js';
import { CHRONIC_DEBT_ZONE, HOARDING_ZONE, PaymentJson, RiskSignalsRepository } from './risk-signals.repository.js';
import { auditedCurrency, badInput } from './insights.guards.js';

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;
/** Cycles are searched among every pair of payments of the period: a year of them is the most one query takes on. */
const MAX_PERIOD_DAYS = 366;
/** With no minimum given, sudden velocity needs at least this many units of the currency in the recent window. */
const DEFAULT_MINIMUM_UNITS = 10n;

/** Resolved arguments: the defaults applied. */
interface Thresholds extends RiskSignalsArgs {
  from: Date;
  to: Date;
  velocityMinimumAmount: bigint;
}

/**
 * Flags member accounts for a coordinator to look at, each with the evidence it rests on. Every
 * detector is one aggregate query; signals come ordered by kind, then account.
 */
@Injectable()
export class RiskSignalsService {
  constructor(
    private readonly repository: RiskSignalsRepository,
    private readonly access: AccessPolicy,
    private readonly ledger: LedgerService,
  ) {}

  async riskSignals(actor: Actor, args: RiskSignalsArgs): Promise<RiskSignal[]> {
    return signalsAfter(await this.detectorsFor(actor, args), undefined, Infinity);
  }

  /**
   * The same signals, for the same callers, a page at a time: keyed by (kind, account id), which
   * is unique, so a page starts after the last signal shown. Only the kinds a page reaches are
   * detected, each at most once per request, even when totalCount is selected too.
   */
  async riskSignalsPage(
    actor: Actor,
    args: RiskSignalsArgs,
    page: PageRequest,
  ): Promise<CountedConnection<RiskSignal>> {
    const detectors = await this.detectorsFor(actor, args);
    return RISK_SIGNAL_CURSORS.countedPage(page, {
      rows: (after, limit) => signalsAfter(detectors, after, limit),
      keyOf: (signal) => [BigInt(KIND_ORDER.indexOf(signal.kind)), BigInt(signal.accountId)],
      count: async () => (await signalsAfter(detectors, undefined, Infinity)).length,
    });
  }

  /** The asked kinds' detectors, in KIND_ORDER; each runs its query once, when first called. */
  private async detectorsFor(actor: Actor, args: RiskSignalsArgs): Promise<Detector[]> {
    const currency = await auditedCurrency(this.access, this.ledger, actor, args.communityId);
    const thresholds = resolve(args, currency);
    const detect: Record<RiskSignalKind, () => Promise<RiskSignal[]>> = {
      [RiskSignalKind.CIRCULAR_TRADING]: () => this.circularTrading(thresholds, currency),
      [RiskSignalKind.HOARDING]: () => this.hoarding(thresholds, currency),
      [RiskSignalKind.CHRONIC_DEBT]: () => this.chronicDebt(thresholds, currency),
      [RiskSignalKind.SUDDEN_VELOCITY]: () => this.suddenVelocity(thresholds, currency),
    };
    const kinds = new Set(args.kinds ?? KIND_ORDER);
    return KIND_ORDER.map((kind, position) => ({ position, asked: kinds.has(kind), detect: once(detect[kind]) }));
  }

  private async circularTrading(args: Thresholds, currency: Currency): Promise<RiskSignal[]> {
    const rows = await this.repository.circularTrading(args.communityId, args.from, args.to);
    return rows.map((row) => {
      const cycles = row.cycles.map((cycle): PaymentCycle => ({
        accountIds: cycle.accountIds,
        transfers: cycle.transfers.map(toRiskTransfer),
      }));
      const [first] = cycles;
      const hops = first.transfers.map((transfer) => transfer.amount).join(', ');
      const summary =
        `Account ${row.accountId} (${row.memberName}) is on ${plural(row.cycleCount, 'cycle')} of payments within the period, ` +
        `the first ${first.accountIds.join(' → ')} → ${first.accountIds[0]} paying ${hops} ${units(currency)} in turn.`;
      return {
        kind: RiskSignalKind.CIRCULAR_TRADING,
        ...holder(row),
        summary,
        evidence: Object.assign(new CircularTradingEvidence(), { cycleCount: row.cycleCount, cycles }),
      };
    });
  }

  private async hoarding(args: Thresholds, currency: Currency): Promise<RiskSignal[]> {
    const rows = await this.repository.limitStreaks(
      args.communityId,
      args.to,
      HOARDING_ZONE,
      args.hoardingPercent,
      null,
    );
    return rows.map((row) => {
      const evidence = Object.assign(new HoardingEvidence(), {
        balance: BigInt(row.balance),
        upperLimit: BigInt(row.upperLimit!),
        thresholdPercent: args.hoardingPercent,
        threshold: BigInt(row.threshold),
        since: row.since,
        sinceTransferId: row.sinceTransferId,
      });
      const summary =
        `Account ${row.accountId} (${row.memberName}) holds ${row.balance} of its ${row.upperLimit} cap ${units(currency)}, ` +
        `at or above ${args.hoardingPercent}% of it since ${row.since.toISOString()}.`;
      return { kind: RiskSignalKind.HOARDING, ...holder(row), summary, evidence };
    });
  }

  private async chronicDebt(args: Thresholds, currency: Currency): Promise<RiskSignal[]> {
    const since = new Date(args.to.getTime() - args.chronicDebtSeconds * 1000);
    const rows = await this.repository.limitStreaks(
      args.communityId,
      args.to,
      CHRONIC_DEBT_ZONE,
      args.chronicDebtPercent,
      since,
    );
    return rows.map((row) => {
      const durationSeconds = Math.floor((args.to.getTime() - row.since.getTime()) / 1000);
      const evidence = Object.assign(new ChronicDebtEvidence(), {
        balance: BigInt(row.balance),
        lowerLimit: BigInt(row.lowerLimit!),
        thresholdPercent: args.chronicDebtPercent,
        threshold: BigInt(row.threshold),
        since: row.since,
        sinceTransferId: row.sinceTransferId,
        durationSeconds,
        minimumSeconds: args.chronicDebtSeconds,
      });
      const summary =
        `Account ${row.accountId} (${row.memberName}) has stayed at or below ${row.threshold}, near its lower limit of ${row.lowerLimit} ${units(currency)}, ` +
        `for ${describeDuration(durationSeconds)} (since ${row.since.toISOString()}); its balance is ${row.balance}.`;
      return { kind: RiskSignalKind.CHRONIC_DEBT, ...holder(row), summary, evidence };
    });
  }

  private async suddenVelocity(args: Thresholds, currency: Currency): Promise<RiskSignal[]> {
    const windowMs = args.velocityWindowSeconds * 1000;
    const windowStart = new Date(args.to.getTime() - windowMs);
    const baselineStart = new Date(windowStart.getTime() - args.velocityBaselineWindows * windowMs);
    const rows = await this.repository.volumes(
      args.communityId,
      { baselineStart, windowStart, to: args.to },
      args.velocityMinimumAmount,
      args.velocityBaselineWindows,
      args.velocityFactor,
    );
    return rows.map((row) => {
      const recentVolume = BigInt(row.recentVolume);
      const baselineVolume = BigInt(row.baselineVolume);
      // A ratio for people to read; the rule itself was applied in integers.
      const ratio =
        baselineVolume === 0n ? null : (Number(recentVolume) * args.velocityBaselineWindows) / Number(baselineVolume);
      const evidence = Object.assign(new SuddenVelocityEvidence(), {
        windowStart,
        windowSeconds: args.velocityWindowSeconds,
        recentVolume,
        baselineVolume,
        baselineWindows: args.velocityBaselineWindows,
        ratio,
        factor: args.velocityFactor,
        minimumAmount: args.velocityMinimumAmount,
        transfers: row.transfers.map(toRiskTransfer),
      });
      const against =
        ratio === null
          ? 'none in the windows before'
          : `${ratio.toFixed(1)} times its average over the ${args.velocityBaselineWindows} windows before`;
      const summary =
        `Account ${row.accountId} (${row.memberName}) moved ${row.recentVolume} ${units(currency)} in the ${describeDuration(args.velocityWindowSeconds)} ` +
        `before ${args.to.toISOString()}: ${against}.`;
      return { kind: RiskSignalKind.SUDDEN_VELOCITY, ...holder(row), summary, evidence };
    });
  }
}

/** Signals come by kind in this order, then by account id (each detector's own order). */
const KIND_ORDER = [
  RiskSignalKind.CIRCULAR_TRADING,
  RiskSignalKind.HOARDING,
  RiskSignalKind.CHRONIC_DEBT,
  RiskSignalKind.SUDDEN_VELOCITY,
];

const RISK_SIGNAL_CURSORS = new ConnectionCursors('RiskSignalConnection', 2);

interface Detector {
  /** The kind's place in KIND_ORDER: the first part of a signal's key. */
  position: number;
  asked: boolean;
  detect: () => Promise<RiskSignal[]>;
}

/** At most `limit` signals after the key [kind position, account id], running only the detectors it needs. */
async function signalsAfter(detectors: Detector[], after: bigint[] | undefined, limit: number): Promise<RiskSignal[]> {
  const [afterPosition, afterAccountId] = after ?? [-1n, 0n];
  const signals: RiskSignal[] = [];
  for (const { position, asked, detect } of detectors) {
    if (signals.length >= limit) break;
    if (!asked || BigInt(position) < afterPosition) continue;
    const found = await detect();
    signals.push(
      ...(BigInt(position) === afterPosition
        ? found.filter((signal) => BigInt(signal.accountId) > afterAccountId)
        : found),
    );
  }
  return signals.slice(0, limit);
}

/** A detection run at most once, however often asked (a page and its totalCount share it). */
function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}

function resolve(args: RiskSignalsArgs, currency: Currency): Thresholds {
  const to = args.to ?? new Date();
  const from = args.from ?? new Date(to.getTime() - DEFAULT_PERIOD_MS);
  if (from >= to) throw badInput('from must be before to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    throw badInput(`from and to may be at most ${MAX_PERIOD_DAYS} days apart`);
  const velocityMinimumAmount =
    args.velocityMinimumAmount ?? DEFAULT_MINIMUM_UNITS * BigInt(currency.minorUnitsPerUnit);
  if (velocityMinimumAmount < 0n) throw badInput('velocityMinimumAmount must not be negative');
  return { ...args, from, to, velocityMinimumAmount };
}

const holder = (row: { accountId: string; memberId: string; memberName: string }) => ({
  accountId: row.accountId,
  memberId: row.memberId,
  memberName: row.memberName,
});

function toRiskTransfer(payment: PaymentJson): RiskTransfer {
  return { ...payment, amount: BigInt(payment.amount), createdAt: new Date(payment.createdAt) };
}

const units = (currency: Currency): string =>
  currency.minorUnitsPerUnit === 1 ? currency.code : `${currency.code} minor units`;

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

function describeDuration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return plural(seconds / 86_400, 'day');
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  return plural(seconds, 'second');
}
