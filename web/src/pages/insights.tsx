import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../components/chart';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { CommunityActivityDocument, StatisticsDocument } from '../graphql/generated';
import type { StatisticsQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';
import { FRAME, hours } from './insights-chart-frame';
import { PartsOfExchanged } from './insights-parts';
import { RiskSignals } from './risk-signals';

type Bucket = StatisticsQuery['communityStatistics']['buckets'][number];

/** The periods offered: twelve of each interval, ending with the current one. */
const PERIODS = { MONTH: 'insights.months', WEEK: 'insights.weeks' } as const;
const BUCKETS = 12;

/** [from, to) for the last twelve intervals, the current one included, in UTC (as the API buckets). */
function periodOf(interval: 'MONTH' | 'WEEK', now = new Date()): { from: string; to: string } {
  if (interval === 'MONTH') {
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - BUCKETS, 1));
    return { from: from.toISOString(), to: to.toISOString() };
  }
  // ISO weeks start on Monday.
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)),
  );
  const to = new Date(monday.getTime() + 7 * 86_400_000);
  const from = new Date(to.getTime() - BUCKETS * 7 * 86_400_000);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Each bucket's name on the charts' axes and in the tables: its month, or its week's Monday. */
function useBucketLabels(buckets: Bucket[], interval: 'MONTH' | 'WEEK'): string[] {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const style: Intl.DateTimeFormatOptions =
      interval === 'MONTH' ? { year: '2-digit', month: 'short' } : { month: 'short', day: 'numeric' };
    const format = new Intl.DateTimeFormat(i18n.language, { ...style, timeZone: 'UTC' });
    return buckets.map((bucket) => format.format(new Date(bucket.start)));
  }, [buckets, interval, i18n.language]);
}

/** Velocity to two decimals in the locale; none when no member held money. */
function useVelocityText(): (velocity: number | null) => string {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  return (velocity) => (velocity === null ? t('insights.noVelocity') : number.format(velocity));
}

function Charts({ buckets, labels }: { buckets: Bucket[]; labels: string[] }) {
  const { t } = useTranslation();
  const { currency } = useCoordinatedCommunity();
  const exchanged = useMemo(
    () => ({
      ...FRAME,
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('insights.exchangedHours'),
          type: 'bar',
          data: buckets.map((b) => hours(b.amountExchanged, currency.minorUnitsPerUnit)),
        },
        {
          name: t('insights.inHand'),
          type: 'line',
          data: buckets.map((b) => hours(b.moneyInMembersHands, currency.minorUnitsPerUnit)),
        },
      ],
    }),
    [buckets, labels, currency, t],
  );
  const members = useMemo(
    () => ({
      ...FRAME,
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('insights.active'), type: 'line', data: buckets.map((b) => b.activeMembers) },
        { name: t('insights.new'), type: 'bar', data: buckets.map((b) => b.newMembers) },
      ],
    }),
    [buckets, labels, t],
  );
  const velocity = useMemo(
    () => ({
      ...FRAME,
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value' },
      series: [{ name: t('insights.velocity'), type: 'line', data: buckets.map((b) => b.velocity) }],
    }),
    [buckets, labels, t],
  );
  return (
    <>
      <section className="card" aria-labelledby="exchanged-heading">
        <h2 id="exchanged-heading">{t('insights.exchanged')}</h2>
        <Chart option={exchanged} label={t('insights.exchanged')} />
      </section>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('insights.members')}</h2>
        <Chart option={members} label={t('insights.members')} />
      </section>
      <section className="card" aria-labelledby="velocity-heading">
        <h2 id="velocity-heading">{t('insights.velocity')}</h2>
        <p className="muted">{t('insights.velocityMeans')}</p>
        <Chart option={velocity} label={t('insights.velocity')} />
      </section>
    </>
  );
}

/** The same figures as text: exact amounts, for screen readers and for anyone who wants the numbers. */
function FiguresTable({ buckets, labels }: { buckets: Bucket[]; labels: string[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const velocityText = useVelocityText();
  const { currency } = useCoordinatedCommunity();
  return (
    <details className="card">
      <summary>{t('insights.table')}</summary>
      <ScrollRegion label={t('insights.table')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('insights.start')}</th>
              <th scope="col" className="number">
                {t('insights.exchanged')}
              </th>
              <th scope="col" className="number">
                {t('insights.transfers')}
              </th>
              <th scope="col" className="number">
                {t('insights.active')}
              </th>
              <th scope="col" className="number">
                {t('insights.new')}
              </th>
              <th scope="col" className="number">
                {t('insights.inHandAmount')}
              </th>
              <th scope="col" className="number">
                {t('insights.velocity')}
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket, index) => (
              <tr key={bucket.start}>
                <th scope="row">{labels[index]}</th>
                <td className="number">{format.amount(bucket.amountExchanged, currency)}</td>
                <td className="number">{bucket.transferCount}</td>
                <td className="number">{bucket.activeMembers}</td>
                <td className="number">{bucket.newMembers}</td>
                <td className="number">{format.amount(bucket.moneyInMembersHands, currency)}</td>
                <td className="number">{velocityText(bucket.velocity)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </details>
  );
}

/** Every chart of the period, then its figures as a table. */
function Figures({ data, interval }: { data: StatisticsQuery; interval: 'MONTH' | 'WEEK' }) {
  const { buckets } = data.communityStatistics;
  const labels = useBucketLabels(buckets, interval);
  return (
    <>
      <Charts buckets={buckets} labels={labels} />
      <PartsOfExchanged statistics={data.communityStatistics} labels={labels} categories={data.listingCategories} />
      <FiguresTable buckets={buckets} labels={labels} />
    </>
  );
}

/**
 * The community's activity over time, as charts (Apache ECharts), and the accounts flagged by risk
 * signals; loaded only when a coordinator opens it.
 */
export default function InsightsPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [interval, setPeriod] = useState<'MONTH' | 'WEEK'>('MONTH');
  const variables = useMemo(
    () => ({ communityId: community.id, interval, ...periodOf(interval) }),
    [community.id, interval],
  );
  const [{ data, error }] = useLiveQuery(
    { query: StatisticsDocument, variables },
    { query: CommunityActivityDocument, variables: { communityId: community.id } },
  );
  return (
    <section>
      <h1>{t('insights.title')}</h1>
      <label className="inline">
        {t('insights.period')}
        <select value={interval} onChange={(event) => setPeriod(event.target.value as 'MONTH' | 'WEEK')}>
          {Object.entries(PERIODS).map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {data ? (
        <Figures data={data} interval={interval} />
      ) : (
        !error && <Status kind="loading">{t('app.loading')}</Status>
      )}
      <RiskSignals />
    </section>
  );
}
