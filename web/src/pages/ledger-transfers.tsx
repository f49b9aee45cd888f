import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { AccountSelect } from '../components/account-select';
import { DateRangeFields, periodOfForm } from '../components/date-range';
import { ExportButton } from '../components/export-button';
import { textField } from '../components/form-field';
import { Pager, usePages } from '../components/pager';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import { LedgerTransfersDocument, ReverseTransferDocument } from '../graphql/generated';
import type { LedgerAccountFragment, LedgerTransfersQueryVariables, TransferRowFragment } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

type Filters = Pick<LedgerTransfersQueryVariables, 'accountId' | 'from' | 'to'>;

/** Only posted money can be reversed, once; a reversal is corrected by a new transfer, not reversed again. */
const reversible = (transfer: TransferRowFragment) =>
  (transfer.kind === 'DIRECT' || transfer.kind === 'POST_PENDING') &&
  !transfer.reversal &&
  !transfer.reversesTransferId;

/**
 * Reversing one transfer, with a reason for the audit log, confirmed before it is sent. One
 * idempotency key per opened form, so that a repeated submit reverses once.
 */
function ReverseAction({ transfer, onOutcome }: { transfer: TransferRowFragment; onOutcome: (o: Outcome) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const [key, setKey] = useState<string | null>(null);
  const [{ fetching }, reverse] = useMutation(ReverseTransferDocument);
  const what = transfer.memo || transfer.code;
  if (!key) {
    return (
      <button type="button" onClick={() => setKey(crypto.randomUUID())} aria-label={`${t('ledger.reverse')}: ${what}`}>
        {t('ledger.reverse')}
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = textField(new FormData(event.currentTarget), 'reason');
    const result = await reverse({ input: { idempotencyKey: key!, transferId: transfer.id, reason } });
    const refusal = result.data?.reverseTransfer.userErrors[0]?.message ?? result.error?.message;
    setKey(null);
    onOutcome(
      refusal
        ? { kind: 'error', text: t('ledger.refused', { message: refusal }) }
        : { kind: 'done', text: t('ledger.reversed', { amount: format.amount(transfer.amount, currency), what }) },
    );
  }

  return (
    <form className="confirm" onSubmit={(event) => void submit(event)}>
      <label>
        {t('ledger.reason')}
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" disabled={fetching}>
        {t('ledger.confirmReverse')}
      </button>
      <button type="button" onClick={() => setKey(null)}>
        {t('ledger.cancel')}
      </button>
    </form>
  );
}

/** What a transfer is, in words: its memo, and for a reversal why it was made. */
function TransferWhat({ transfer }: { transfer: TransferRowFragment }) {
  const { t } = useTranslation();
  return (
    <>
      <code>{transfer.code}</code> {transfer.memo}
      {transfer.reversesTransferId && <div>{t('ledger.reversalOf', { reason: transfer.reason ?? '' })}</div>}
      {transfer.reversal && <div>{t('ledger.wasReversed')}</div>}
    </>
  );
}

function TransfersTable({
  transfers,
  onOutcome,
}: {
  transfers: TransferRowFragment[];
  onOutcome: (o: Outcome) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  return (
    <ScrollRegion label={t('ledger.transferList')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('ledger.when')}</th>
            <th scope="col">{t('ledger.from')}</th>
            <th scope="col">{t('ledger.to')}</th>
            <th scope="col" className="number">
              {t('ledger.amount')}
            </th>
            <th scope="col">{t('ledger.what')}</th>
            <th scope="col">{t('ledger.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {transfers.map((transfer) => (
            <tr key={transfer.id}>
              <th scope="row" className="when">
                {format.dateTime(transfer.createdAt)}
              </th>
              <td>{transfer.debitAccount?.name}</td>
              <td>{transfer.creditAccount?.name}</td>
              <td className="number">{format.amount(transfer.amount, currency)}</td>
              <td>
                <TransferWhat transfer={transfer} />
              </td>
              <td>{reversible(transfer) && <ReverseAction transfer={transfer} onOutcome={onOutcome} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The currency's transfers, newest first, narrowed to an account and dates; each reversible with a reason. */
export function TransfersSection({ accounts }: { accounts: LedgerAccountFragment[] }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [filters, setFilters] = useState<Filters>({});
  const pages = usePages();
  const [{ data, error }, refresh] = useQuery({
    query: LedgerTransfersDocument,
    variables: { currencyId: community.currency.id, ...filters, after: pages.after },
  });
  const [outcome, onOutcome] = useOutcome(refresh);
  const transfers = data?.transfers.edges.map((edge) => edge.node);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ accountId: textField(form, 'accountId') || null, ...periodOfForm(form) });
    pages.reset();
  }

  return (
    <section className="card" aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">{t('ledger.transfers')}</h2>
      <form className="filters" onSubmit={submit}>
        <AccountSelect accounts={accounts} anyLabel={t('ledger.allAccounts')} />
        <DateRangeFields />
        <button type="submit">{t('ledger.search')}</button>
      </form>
      <div className="actions">
        <ExportButton
          input={{ communityId: community.id, kind: 'TRANSFERS', from: filters.from, to: filters.to }}
          label={t('ledger.exportTransfers')}
          onOutcome={onOutcome}
        />
      </div>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!transfers && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {transfers?.length === 0 && <p>{t('ledger.noTransfers')}</p>}
      {transfers && transfers.length > 0 && <TransfersTable transfers={transfers} onOutcome={onOutcome} />}
      <Pager
        pages={pages}
        pageInfo={data?.transfers.pageInfo}
        labels={{ back: t('ledger.newer'), on: t('ledger.older') }}
      />
    </section>
  );
}
