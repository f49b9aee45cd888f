import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { textField } from '../components/form-field';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import { CloseLedgerPeriodDocument, LedgerPeriodsDocument } from '../graphql/generated';
import type { LedgerPeriodRowFragment } from '../graphql/generated';
import { endOfDay } from '../format/dates';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

interface Closing {
  through: string;
  note: string;
}

/**
 * Closing the books through the end of a day, with a note of why and on what authority; confirmed
 * before it is sent (it cannot be undone), and the server's refusal shown as it says it.
 */
function ClosePeriodForm({ onOutcome }: { onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [closing, setClosing] = useState<Closing | null>(null);
  const format = useFormat();
  const [{ fetching }, close] = useMutation(CloseLedgerPeriodDocument);

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setClosing({ through: textField(form, 'through'), note: textField(form, 'note') });
  }

  async function confirm({ through, note }: Closing) {
    const result = await close({ input: { communityId: community.id, through: endOfDay(through)!, note } });
    const refusal = result.data?.closeLedgerPeriod.userErrors[0]?.message ?? result.error?.message;
    setClosing(null);
    onOutcome(
      refusal
        ? { kind: 'error', text: t('periods.refused', { message: refusal }) }
        : { kind: 'done', text: t('periods.closed', { date: format.day(through) }) },
    );
  }

  return (
    <div className="card">
      <h2>{t('periods.close')}</h2>
      <form onSubmit={ask}>
        <label>
          {t('periods.through')}
          <input name="through" type="date" required disabled={!!closing} />
        </label>
        <label>
          {t('periods.note')}
          <input name="note" required maxLength={1000} disabled={!!closing} />
        </label>
        {!closing && <button type="submit">{t('periods.closeButton')}</button>}
      </form>
      {closing && (
        <div className="confirm">
          <p>{t('periods.confirm', { date: format.day(closing.through) })}</p>
          <button type="button" disabled={fetching} onClick={() => void confirm(closing)}>
            {t('periods.confirmButton', { date: format.day(closing.through) })}
          </button>
          <button type="button" onClick={() => setClosing(null)}>
            {t('periods.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}

function PeriodsTable({ periods }: { periods: LedgerPeriodRowFragment[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ScrollRegion label={t('periods.closedPeriods')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('periods.closedThrough')}</th>
            <th scope="col">{t('periods.closedAt')}</th>
            <th scope="col">{t('periods.note')}</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((period) => (
            <tr key={period.id}>
              <th scope="row">{format.dateTime(period.closedThrough)}</th>
              <td>{format.dateTime(period.closedAt)}</td>
              <td>{period.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The community's closed periods, latest first, and closing the next one. */
export function PeriodsPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data, error }, refresh] = useQuery({
    query: LedgerPeriodsDocument,
    variables: { communityId: community.id },
  });
  const [outcome, onOutcome] = useOutcome(refresh);
  const periods = data?.ledgerPeriods.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('periods.title')}</h1>
      <p>{t('periods.explain')}</p>
      <ClosePeriodForm onOutcome={onOutcome} />
      <OutcomeStatus outcome={outcome} />
      <h2>{t('periods.closedPeriods')}</h2>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!periods && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {periods?.length === 0 && <p>{t('periods.none')}</p>}
      {periods && periods.length > 0 && <PeriodsTable periods={periods} />}
    </section>
  );
}
