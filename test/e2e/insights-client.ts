import { rowId } from '../support/global-ids.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../support/test-app.js';
import { gql } from './graphql-client.js';

/** What the e2e tests of statistics and risk signals send and read. */

const ACTIVITY_FIELDS =
  'amountExchanged reversedAmount transferCount byCategory { category amount } byDistrict { district amount } activeMembers newMembers';

export const COMMUNITY_STATISTICS = `query CommunityStatistics($communityId: ID!, $from: DateTime!, $to: DateTime!, $interval: StatisticsInterval!) {
  communityStatistics(communityId: $communityId, from: $from, to: $to, interval: $interval) {
    communityId from to interval currency { code }
    buckets { start end ${ACTIVITY_FIELDS} moneyInMembersHands velocity }
    total { ${ACTIVITY_FIELDS} }
  }
}`;

const RISK_TRANSFER_FIELDS = 'id debitAccountId creditAccountId amount createdAt';

export const RISK_SIGNALS = `query RiskSignals(
  $communityId: ID!, $from: DateTime, $to: DateTime, $kinds: [RiskSignalKind!], $hoardingPercent: Int, $chronicDebtPercent: Int, $chronicDebtSeconds: Int,
  $velocityWindowSeconds: Int, $velocityBaselineWindows: Int, $velocityFactor: Int, $velocityMinimumAmount: Amount
) {
  riskSignals(
    communityId: $communityId, from: $from, to: $to, kinds: $kinds, hoardingPercent: $hoardingPercent, chronicDebtPercent: $chronicDebtPercent,
    chronicDebtSeconds: $chronicDebtSeconds, velocityWindowSeconds: $velocityWindowSeconds, velocityBaselineWindows: $velocityBaselineWindows,
    velocityFactor: $velocityFactor, velocityMinimumAmount: $velocityMinimumAmount
  ) {
    kind accountId memberId memberName summary
    evidence {
      __typename
      ... on CircularTradingEvidence { cycleCount cycles { accountIds transfers { ${RISK_TRANSFER_FIELDS} } } }
      ... on HoardingEvidence { balance upperLimit thresholdPercent threshold since sinceTransferId }
      ... on ChronicDebtEvidence { balance lowerLimit thresholdPercent threshold since sinceTransferId durationSeconds minimumSeconds }
      ... on SuddenVelocityEvidence {
        windowStart windowSeconds recentVolume baselineVolume baselineWindows ratio factor minimumAmount transfers { ${RISK_TRANSFER_FIELDS} }
      }
    }
  }
}`;

export interface ActivityView {
  amountExchanged: string;
  reversedAmount: string;
  transferCount: number;
  byCategory: { category: string | null; amount: string }[];
  byDistrict: { district: string | null; amount: string }[];
  activeMembers: number;
  newMembers: number;
}

export interface BucketView extends ActivityView {
  start: string;
  end: string;
  moneyInMembersHands: string;
  velocity: number | null;
}

export interface StatisticsView {
  communityId: string;
  from: string;
  to: string;
  interval: 'DAY' | 'WEEK' | 'MONTH';
  currency: { code: string };
  buckets: BucketView[];
  total: ActivityView;
}

export interface RiskTransferView {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  createdAt: string;
}

export interface RiskSignalView {
  kind: 'CIRCULAR_TRADING' | 'HOARDING' | 'CHRONIC_DEBT' | 'SUDDEN_VELOCITY';
  accountId: string;
  memberId: string;
  memberName: string;
  summary: string;
  evidence: Record<string, any> & { __typename: string };
}

export type StatisticsQuery = {
  communityId: string;
  from: Date | string;
  to: Date | string;
  interval: 'DAY' | 'WEEK' | 'MONTH';
};

const isoDates = (variables: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value]),
  );

export function queryStatistics(client: GraphqlClient, variables: StatisticsQuery): Promise<GraphqlResponse> {
  return client.graphql(COMMUNITY_STATISTICS, isoDates(variables));
}

export async function communityStatistics(client: GraphqlClient, variables: StatisticsQuery): Promise<StatisticsView> {
  return (await gql<{ communityStatistics: StatisticsView }>(client, COMMUNITY_STATISTICS, isoDates(variables)))
    .communityStatistics;
}

export function queryRiskSignals(client: GraphqlClient, variables: Record<string, unknown>): Promise<GraphqlResponse> {
  return client.graphql(RISK_SIGNALS, isoDates(variables));
}

export async function riskSignals(
  client: GraphqlClient,
  variables: Record<string, unknown>,
): Promise<RiskSignalView[]> {
  return (await gql<{ riskSignals: RiskSignalView[] }>(client, RISK_SIGNALS, isoDates(variables))).riskSignals;
}

/**
 * The database's clock now, a few milliseconds clear of anything written before and after: a boundary
 * that ledger timestamps (taken by the database) fall cleanly on either side of.
 */
export async function databaseInstant(t: TestApp): Promise<Date> {
  await pause(5);
  const [{ now }] = await t.dataSource.query('SELECT clock_timestamp() AS now');
  await pause(5);
  // pg reads microseconds down to the millisecond: one more, and what came before stays before.
  return new Date((now as Date).getTime() + 1);
}

export const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** When a posted transfer was written, to the millisecond a client can send, plus one: an exclusive end just after it. */
export async function justAfter(t: TestApp, transferId: string): Promise<Date> {
  const [{ created_at: createdAt }] = await t.dataSource.query('SELECT created_at FROM transfers WHERE id = $1', [
    rowId(transferId),
  ]);
  return new Date((createdAt as Date).getTime() + 1);
}

const UPDATE_DISTRICT =
  'mutation District($district: String!) { updateProfile(input: { district: $district }) { id district } }';

/** Sets the district of the caller's profile: statistics count a payment not made on a listing with a district in its payee's. */
export async function setProfileDistrict(client: GraphqlClient, district: string): Promise<void> {
  await gql(client, UPDATE_DISTRICT, { district });
}
