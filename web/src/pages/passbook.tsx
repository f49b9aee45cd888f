import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { AccountActivityDocument, PassbookDocument } from '../graphql/generated';
import type { MoneyFragment, PassbookQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useViewer } from '../session/viewer';
import { PayForm } from './pay-form';

/** Lines shown at first, and added by each "show older entries". */
const PAGE = 20;
/** The statement's largest page (the API's limit). */
const MOST = 100;

type Account = NonNullable<PassbookQuery['account']>;

function Balances({ account }: { account: Account }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <dl className="balances">
      <div>
        <dt>{t('passbook.balance')}</dt>
        <dd data-testid="balance">{format.amount(account.balance, account.currency)}</dd>
      </div>
      <div>
        <dt>{t('passbook.available')}</dt>
        <dd data-testid="available">{format.amount(account.availableBalance, account.currency)}</dd>
      </div>
      {account.lowerLimit !== null && (
        <div>
          <dt>{t('passbook.lowerLimit')}</dt>
          <dd>{format.amount(account.lowerLimit, account.currency)}</dd>
        </div>
      )}
    </dl>
  );
}

/** The passbook proper: each posting, newest first, with the balance it left. */
function Statement({ account, onMore }: { account: Account; onMore?: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const currency: MoneyFragment = account.currency;
  const lines = account.statement.edges.map((edge) => edge.node);
  return (
    <section className="card" aria-labelledby="statement-heading">
      <h2 id="statement-heading">{t('passbook.statement')}</h2>
      {lines.length === 0 ? (
        <p>{t('passbook.empty')}</p>
      ) : (
        <ScrollRegion label={t('passbook.statement')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('passbook.date')}</th>
                <th scope="col">{t('passbook.description')}</th>
                <th scope="col" className="number">
                  {t('passbook.amount')}
                </th>
                <th scope="col" className="number">
                  {t('passbook.balanceAfter')}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.id}>
                  <td>{format.dateTime(line.createdAt)}</td>
                  <td>{line.memo || line.code}</td>
                  <td className="number">{format.amount(line.amount, currency)}</td>
                  <td className="number">{format.amount(line.balanceAfter, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {onMore && (
        <button type="button" onClick={onMore}>
          {t('passbook.more')}
        </button>
      )}
    </section>
  );
}

function AccountPassbook({ communityId, accountId }: { communityId: string; accountId: string }) {
  const { t } = useTranslation();
  const [first, setFirst] = useState(PAGE);
  const [{ data, error }, refresh] = useLiveQuery(
    { query: PassbookDocument, variables: { accountId, first } },
    { query: AccountActivityDocument, variables: { accountId } },
  );
  if (error) return <Status kind="error">{t('app.error', { message: error.message })}</Status>;
  const account = data?.account;
  if (!account) return <Status kind="loading">{t('app.loading')}</Status>;
  const more = account.statement.pageInfo.hasNextPage && first < MOST;
  return (
    <>
      <Balances account={account} />
      <PayForm
        communityId={communityId}
        accountId={accountId}
        currency={account.currency}
        onPaid={() => refresh({ requestPolicy: 'network-only' })}
      />
      <Statement account={account} onMore={more ? () => setFirst(Math.min(first + PAGE, MOST)) : undefined} />
    </>
  );
}

export function PassbookPage() {
  const { t } = useTranslation();
  const { membership } = useViewer();
  return (
    <section>
      <h1>{t('passbook.title')}</h1>
      {membership ? (
        <>
          <p className="muted">{membership.community.name}</p>
          <AccountPassbook communityId={membership.community.id} accountId={membership.account.id} />
        </>
      ) : (
        <p>{t('noMembership')}</p>
      )}
    </section>
  );
}
