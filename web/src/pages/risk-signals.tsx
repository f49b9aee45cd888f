import { useTranslation } from 'react-i18next';
import { Disclosure } from '../components/disclosure';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { CommunityActivityDocument, RiskSignalsDocument } from '../graphql/generated';
import type { RiskSignalsQuery, SignalRiskTransferFragment, SignalTransferFragment } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';
import { useLimitsText } from './member-limits';

type Signal = RiskSignalsQuery['riskSignalsConnection']['edges'][number]['node'];
type Evidence = Signal['evidence'];
type Transfer = SignalTransferFragment | SignalRiskTransferFragment;

/** The transfers a signal rests on: the one that brought the balance near its limit, the window's largest, or each cycle's hops. */
function transfersOf(evidence: Evidence): Transfer[] {
  switch (evidence.__typename) {
    case 'ChronicDebtEvidence':
    case 'HoardingEvidence':
      return [evidence.sinceTransfer];
    case 'SuddenVelocityEvidence':
      return evidence.transfers;
    case 'CircularTradingEvidence':
      return evidence.cycles.flatMap((cycle) => cycle.transfers);
  }
}

/** What the signal says, in the coordinator's language, with the amounts in the currency's units. */
function useEvidenceText(): (signal: Signal) => string {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const amount = (value: string) => format.amount(value, currency);
  const ratio = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return ({ evidence, account }) => {
    switch (evidence.__typename) {
      case 'ChronicDebtEvidence':
      case 'HoardingEvidence': {
        const limit = evidence.__typename === 'HoardingEvidence' ? account.upperLimit : account.lowerLimit;
        return t(`insights.evidence.${evidence.__typename}`, {
          balance: amount(evidence.balance),
          limit: limit == null ? '' : amount(limit),
          threshold: amount(evidence.threshold),
          since: format.dateTime(evidence.since),
        });
      }
      case 'SuddenVelocityEvidence':
        return t('insights.evidence.SuddenVelocityEvidence', {
          recent: amount(evidence.recentVolume),
          since: format.dateTime(evidence.windowStart),
          ratio: evidence.ratio === null ? '—' : ratio.format(evidence.ratio),
        });
      case 'CircularTradingEvidence':
        return t('insights.evidence.CircularTradingEvidence', { count: evidence.cycleCount });
    }
  };
}

function TransfersTable({ transfers, label }: { transfers: Transfer[]; label: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  return (
    <ScrollRegion label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('insights.when')}</th>
            <th scope="col">{t('insights.from')}</th>
            <th scope="col">{t('insights.to')}</th>
            <th scope="col" className="number">
              {t('insights.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {transfers.map((transfer, index) => (
            // A transfer may be a hop of two cycles: its place in the list keeps rows apart.
            <tr key={`${transfer.id}-${index}`}>
              <th scope="row">{format.dateTime(transfer.createdAt)}</th>
              <td>{transfer.debitAccount?.name ?? '—'}</td>
              <td>{transfer.creditAccount?.name ?? '—'}</td>
              <td className="number">{format.amount(transfer.amount, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** What a signal rests on: the flagged account as it is now, the cycles it is on, and the transfers behind it. */
function DrillDown({ signal }: { signal: Signal }) {
  const { t } = useTranslation();
  const format = useFormat();
  const limitsText = useLimitsText();
  const { currency } = useCoordinatedCommunity();
  const { account, evidence } = signal;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t('insights.account')}</dt>
          <dd>{account.name}</dd>
        </div>
        <div>
          <dt>{t('members.balance')}</dt>
          <dd>{format.amount(account.balance, currency)}</dd>
        </div>
        <div>
          <dt>{t('members.limits')}</dt>
          <dd>{limitsText(account)}</dd>
        </div>
      </dl>
      {evidence.__typename === 'CircularTradingEvidence' && (
        <ul>
          {evidence.cycles.map((cycle) => {
            const names = cycle.accounts.map((hop) => hop.name);
            return <li key={cycle.accounts.map((hop) => hop.id).join()}>{[...names, names[0]].join(' → ')}</li>;
          })}
        </ul>
      )}
      <TransfersTable transfers={transfersOf(evidence)} label={t('insights.behind', { name: signal.memberName })} />
    </>
  );
}

/**
 * The member accounts flagged now (riskSignalsConnection, its first 20), each with a drill-down
 * to the account and the transfers behind the signal; it follows the community's events.
 */
export function RiskSignals() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const evidenceText = useEvidenceText();
  const [{ data, error }] = useLiveQuery(
    { query: RiskSignalsDocument, variables: { communityId: community.id, after: null } },
    { query: CommunityActivityDocument, variables: { communityId: community.id } },
  );
  const connection = data?.riskSignalsConnection;
  return (
    <section className="card" aria-labelledby="risk-heading">
      <h2 id="risk-heading">{t('insights.risk')}</h2>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!connection && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {connection && connection.totalCount === 0 && <p>{t('insights.noRisk')}</p>}
      {connection && connection.edges.length < connection.totalCount && (
        <p className="muted">
          {t('insights.riskShown', { shown: connection.edges.length, count: connection.totalCount })}
        </p>
      )}
      {connection?.edges.map(({ node: signal }) => (
        <article
          key={`${signal.kind}-${signal.accountId}`}
          aria-label={`${signal.memberName}: ${t(`insights.kind.${signal.kind}`)}`}
        >
          <h3>
            {signal.memberName}: {t(`insights.kind.${signal.kind}`)}
          </h3>
          <p>{evidenceText(signal)}</p>
          <Disclosure label={t('insights.drillDown', { name: signal.memberName })}>
            <DrillDown signal={signal} />
          </Disclosure>
        </article>
      ))}
    </section>
  );
}
