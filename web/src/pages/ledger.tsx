import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { Status } from '../components/status';
import { LedgerAccountsDocument } from '../graphql/generated';
import { useCoordinatedCommunity } from '../session/viewer';
import { BalanceAtSection, StatementSection } from './ledger-statement';
import { TransfersSection } from './ledger-transfers';

/**
 * The community's ledger for its coordinators: the transfers, reversible with a reason; an
 * account's statement for a period; an account's balance as of a date; each exportable as CSV.
 */
export function LedgerPage() {
  const { t } = useTranslation();
  const { currency } = useCoordinatedCommunity();
  const [{ data, error }] = useQuery({ query: LedgerAccountsDocument, variables: { currencyId: currency.id } });
  const accounts = data?.accounts.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('ledger.title')}</h1>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!accounts && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {accounts && (
        <>
          <TransfersSection accounts={accounts} />
          <StatementSection accounts={accounts} />
          <BalanceAtSection accounts={accounts} />
        </>
      )}
    </section>
  );
}
