import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { AccountSelect } from '../components/account-select';
import { DateRangeFields, periodOfForm } from '../components/date-range';
import { ExportButton } from '../components/export-button';
import { textField } from '../components/form-field';
import { Pager, usePages } from '../components/pager';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, Status } from '../components/status';
import type { Outcome } from '../components/status';
import { BalanceAtDocument, LedgerStatementDocument } from '../graphql/generated';
import type { LedgerAccountFragment, LedgerStatementQuery, LedgerStatementQueryVariables } from '../graphql/generated';
import { endOfDay } from '../format/dates';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

type Statement = LedgerStatementQuery['accountStatement'];
type Chosen = Pick<LedgerStatementQueryVariables, 'accountId' | 'from' | 'to'>;

function StatementLines({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t('ledger.opening')}</dt>
          <dd data-testid="opening">{format.amount(statement.openingBalance, currency)}</dd>
        </div>
        <div>
          <dt>{t('ledger.closing')}</dt>
          <dd data-testid="closing">{format.amount(statement.closingBalance, currency)}</dd>
        </div>
        <div>
          <dt>{t('ledger.lineCount')}</dt>
          <dd>{statement.lineCount}</dd>
        </div>
      </dl>
      <ScrollRegion label={t('ledger.statementLines')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('ledger.when')}</th>
              <th scope="col">{t('ledger.counterparty')}</th>
              <th scope="col">{t('ledger.what')}</th>
              <th scope="col" className="number">
                {t('ledger.amount')}
              </th>
              <th scope="col" className="number">
                {t('ledger.balanceAfter')}
              </th>
            </tr>
          </thead>
          <tbody>
            {statement.lines.edges.map(({ node: line }) => (
              <tr key={line.accountVersion}>
                <th scope="row" className="when">
                  {format.dateTime(line.createdAt)}
                </th>
                <td>{line.counterpartyAccount?.name}</td>
                <td>
                  <code>{line.code}</code> {line.memo}
                </td>
                <td className="number">{format.amount(line.amount, currency)}</td>
                <td className="number">{format.amount(line.balanceAfter, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

function ChosenStatement({ chosen, onOutcome }: { chosen: Chosen; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const pages = usePages();
  const [{ data, error }] = useQuery({ query: LedgerStatementDocument, variables: { ...chosen, after: pages.after } });
  const statement = data?.accountStatement;
  return (
    <>
      <div className="actions">
        <ExportButton
          input={{ communityId: community.id, kind: 'STATEMENT', ...chosen }}
          label={t('ledger.exportStatement')}
          onOutcome={onOutcome}
        />
      </div>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!statement && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {statement && <StatementLines statement={statement} />}
      <Pager
        pages={pages}
        pageInfo={statement?.lines.pageInfo}
        labels={{ back: t('ledger.earlier'), on: t('ledger.later') }}
      />
    </>
  );
}

/** An account's statement for a period: opening and closing balances, and each line with the balance after it. */
export function StatementSection({ accounts }: { accounts: LedgerAccountFragment[] }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setChosen({ accountId: textField(form, 'accountId'), ...periodOfForm(form) });
  }

  return (
    <section className="card" aria-labelledby="statement-heading">
      <h2 id="statement-heading">{t('ledger.statement')}</h2>
      <form className="filters" onSubmit={submit}>
        <AccountSelect accounts={accounts} />
        <DateRangeFields />
        <button type="submit">{t('ledger.showStatement')}</button>
      </form>
      <OutcomeStatus outcome={outcome} />
      {/* A new choice is a new statement, read from its first page. */}
      {chosen && <ChosenStatement key={JSON.stringify(chosen)} chosen={chosen} onOutcome={setOutcome} />}
    </section>
  );
}

function BalanceAtAnswer({ accountId, date }: { accountId: string; date: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const [{ data, error }] = useQuery({ query: BalanceAtDocument, variables: { accountId, at: endOfDay(date)! } });
  if (error) return <Status kind="error">{t('app.error', { message: error.message })}</Status>;
  if (!data) return <Status kind="loading">{t('app.loading')}</Status>;
  const balance = format.amount(data.account.balanceAt, currency);
  return (
    <p data-testid="balance-at">
      {t('ledger.balanceAtAnswer', { name: data.account.name, date: format.day(date), balance })}
    </p>
  );
}

/** An account's balance at the end of a chosen day, from the postings up to it. */
export function BalanceAtSection({ accounts }: { accounts: LedgerAccountFragment[] }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<{ accountId: string; date: string } | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setChosen({ accountId: textField(form, 'accountId'), date: textField(form, 'date') });
  }

  return (
    <section className="card" aria-labelledby="balance-at-heading">
      <h2 id="balance-at-heading">{t('ledger.balanceAt')}</h2>
      <form className="filters" onSubmit={submit}>
        <AccountSelect accounts={accounts} />
        <label>
          {t('ledger.asOf')}
          <input name="date" type="date" required />
        </label>
        <button type="submit">{t('ledger.showBalance')}</button>
      </form>
      {chosen && <BalanceAtAnswer {...chosen} />}
    </section>
  );
}
