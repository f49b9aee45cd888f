import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Status } from '../components/status';
import { CommunityActivityDocument, OverviewDocument } from '../graphql/generated';
import type { MoneyFragment, OverviewQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';

function Figure({
  label,
  value,
  testId,
  children,
}: {
  label: string;
  value: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        <span className="value" data-testid={testId}>
          {value}
        </span>
        {children && <span className="detail">{children}</span>}
      </dd>
    </div>
  );
}

/** A page of at most 20 counted: "20+" when there are more. */
function counted(
  page: { edges: unknown[]; pageInfo: { hasNextPage: boolean } },
  atLeast: (count: number) => string,
): string {
  return page.pageInfo.hasNextPage ? atLeast(page.edges.length) : String(page.edges.length);
}

function Figures({ data, currency }: { data: OverviewQuery; currency: MoneyFragment }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = data.balanceReport.currencies.find((c) => c.currency.id === currency.id);
  const members = report?.byKind.find((kind) => kind.kind === 'MEMBER');
  const run = data.lastRun.edges[0]?.node;
  const atLeast = (count: number) => t('console.atLeast', { count });
  const trial = data.trialBalance;
  return (
    <dl className="figures">
      <Figure label={t('console.members')} value={String(data.activeMembers.totalCount)} testId="active-members">
        {t('console.pending', { count: data.pendingMembers.totalCount })}
      </Figure>
      <Figure
        label={t('console.circulation')}
        value={format.amount(members?.positiveBalances ?? '0', currency)}
        testId="circulation"
      >
        {t('console.circulationHint')}. {t('console.inDebt', { count: members?.accountsInDebt ?? 0 })}
      </Figure>
      <Figure label={t('console.trialBalance')} value={format.amount(trial.total, currency)} testId="trial-balance">
        {trial.balanced ? t('console.balanced') : t('console.unbalanced')}
      </Figure>
      <Figure
        label={t('console.verification')}
        value={
          run
            ? t(run.passed ? 'console.passed' : 'console.failed', { when: format.dateTime(run.finishedAt) })
            : t('console.noRun')
        }
        testId="verification"
      />
      <Figure label={t('console.alerts')} value={counted(data.openAlerts, atLeast)} testId="open-alerts" />
      <Figure
        label={t('console.thisMonth')}
        value={format.amount(data.thisMonth.total.amountExchanged, currency)}
        testId="this-month"
      >
        {t('console.transfers', { count: data.thisMonth.total.transferCount })}
      </Figure>
      <Figure label={t('console.disputes')} value={counted(data.disputes, atLeast)} testId="open-disputes">
        <Link to="/console/disputes">{t('console.toDisputes')}</Link>
      </Figure>
    </dl>
  );
}

/** [start, end) of the current month in UTC, as the API's statistics bucket it. */
function thisMonth(now = new Date()): { monthStart: string; monthEnd: string } {
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  return {
    monthStart: new Date(Date.UTC(year, month, 1)).toISOString(),
    monthEnd: new Date(Date.UTC(year, month + 1, 1)).toISOString(),
  };
}

/** The coordinator's first look at the community: its size, its money, and whether its books are sound. */
export function OverviewPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const variables = { communityId: community.id, currencyId: community.currency.id, ...thisMonth() };
  const [{ data, error }] = useLiveQuery(
    { query: OverviewDocument, variables },
    { query: CommunityActivityDocument, variables: { communityId: community.id } },
  );
  return (
    <section>
      <h1>{t('console.title', { name: community.name })}</h1>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {data ? (
        <Figures data={data} currency={community.currency} />
      ) : (
        !error && <Status kind="loading">{t('app.loading')}</Status>
      )}
    </section>
  );
}
