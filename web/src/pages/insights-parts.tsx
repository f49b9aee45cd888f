import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../components/chart';
import { Disclosure } from '../components/disclosure';
import { ScrollRegion } from '../components/scroll-region';
import type { StatisticsQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';
import { FRAME, hours } from './insights-chart-frame';

type Statistics = StatisticsQuery['communityStatistics'];
type Bucket = Statistics['buckets'][number];

/** One part of the amount exchanged (a category or a district), bucket by bucket, and over the period. */
interface PartSeries {
  name: string;
  perBucket: string[];
  total: string;
}

/**
 * The amount exchanged split one way (by category, by district) as series: one per part, largest
 * over the period first (as the API orders the total), each bucket's amount or zero where the part
 * had none.
 */
function seriesOf(
  total: { key: string | null; amount: string }[],
  buckets: Bucket[],
  partsOf: (bucket: Bucket) => { key: string | null; amount: string }[],
  nameOf: (key: string | null) => string,
): PartSeries[] {
  return total.map(({ key, amount }) => ({
    name: nameOf(key),
    total: amount,
    perBucket: buckets.map((bucket) => partsOf(bucket).find((part) => part.key === key)?.amount ?? '0'),
  }));
}

/** The amount exchanged by category and by district, each as a stacked chart and as a table. */
export function PartsOfExchanged({
  statistics,
  labels,
  categories,
}: {
  statistics: Statistics;
  labels: string[];
  categories: StatisticsQuery['listingCategories'];
}) {
  const { t, i18n } = useTranslation();
  const { buckets, total } = statistics;
  const byCategory = useMemo(() => {
    const names = new Map(categories.map((c) => [c.slug, i18n.language === 'ko' ? c.nameKo : c.nameEn]));
    return seriesOf(
      total.byCategory.map((part) => ({ key: part.category, amount: part.amount })),
      buckets,
      (bucket) => bucket.byCategory.map((part) => ({ key: part.category, amount: part.amount })),
      (key) => (key === null ? t('insights.noCategory') : (names.get(key) ?? key)),
    );
  }, [total, buckets, categories, i18n.language, t]);
  const byDistrict = useMemo(
    () =>
      seriesOf(
        total.byDistrict.map((part) => ({ key: part.district, amount: part.amount })),
        buckets,
        (bucket) => bucket.byDistrict.map((part) => ({ key: part.district, amount: part.amount })),
        (key) => key ?? t('insights.noDistrict'),
      ),
    [total, buckets, t],
  );
  return (
    <>
      <PartsCard id="by-category" title={t('insights.byCategory')} series={byCategory} labels={labels} />
      <PartsCard id="by-district" title={t('insights.byDistrict')} series={byDistrict} labels={labels} />
    </>
  );
}

/** One way of splitting the amount exchanged: a stacked bar chart, and beneath it the same figures as a table. */
function PartsCard({
  id,
  title,
  series,
  labels,
}: {
  id: string;
  title: string;
  series: PartSeries[];
  labels: string[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const option = useMemo(
    () => ({
      ...FRAME,
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value' },
      series: series.map((part) => ({
        name: part.name,
        type: 'bar',
        stack: 'parts',
        data: part.perBucket.map((amount) => hours(amount, currency.minorUnitsPerUnit)),
      })),
    }),
    [series, labels, currency],
  );
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {series.length === 0 ? (
        <p className="muted">{t('insights.nothingExchanged')}</p>
      ) : (
        <>
          <Chart option={option} label={title} />
          <Disclosure label={t('insights.tableOf', { title })}>
            <ScrollRegion label={title}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('insights.part')}</th>
                    {labels.map((label) => (
                      <th key={label} scope="col" className="number">
                        {label}
                      </th>
                    ))}
                    <th scope="col" className="number">
                      {t('insights.periodTotal')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {series.map((part) => (
                    <tr key={part.name}>
                      <th scope="row" className="part">
                        {part.name}
                      </th>
                      {part.perBucket.map((amount, index) => (
                        <td key={labels[index]} className="number">
                          {format.amount(amount, currency)}
                        </td>
                      ))}
                      <td className="number">{format.amount(part.total, currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </Disclosure>
        </>
      )}
    </section>
  );
}
