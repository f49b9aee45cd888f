import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { textField } from '../components/form-field';
import { AmountFields } from '../components/amount-fields';
import { OutcomeStatus } from '../components/status';
import type { Outcome } from '../components/status';
import { PayDocument, PayeesDocument } from '../graphql/generated';
import type { MoneyFragment, PayeesQuery } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';

type Payee = PayeesQuery['payees']['edges'][number]['node'];

interface PayFormProps {
  communityId: string;
  accountId: string;
  currency: MoneyFragment;
  onPaid: () => void;
}

/** Step one: whom to pay, found by name among the community's active members (the API's `payees`). */
function PayeeSearch({ communityId, onChoose }: { communityId: string; onChoose: (payee: Payee) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [{ data }] = useQuery({ query: PayeesDocument, variables: { communityId, name: name.trim() || null } });
  const payees = data?.payees.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <label>
        {t('pay.search')}
        <input type="search" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
      </label>
      {data && payees.length === 0 && <p>{t('pay.noMatch')}</p>}
      <ul className="payees">
        {payees.map((payee) => (
          <li key={payee.id}>
            <button type="button" onClick={() => onChoose(payee)}>
              {t('pay.choose', { name: payee.member.displayName })}
            </button>
            <span className="muted"> {payee.member.district}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Paying another member: choose them by name, then the amount and what for. One idempotency key per
 * payment form, so that a retried submit (a double click, a dropped answer) pays once.
 */
export function PayForm({ communityId, accountId, currency, onPaid }: PayFormProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [payee, setPayee] = useState<Payee | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ fetching }, pay] = useMutation(PayDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!payee) return;
    const form = new FormData(event.currentTarget);
    const amount = amountOf(form, currency);
    if (!amount || amount <= 0n) return setOutcome({ kind: 'error', text: t('pay.zero') });
    const memo = textField(form, 'memo');
    const input = {
      idempotencyKey: key,
      debitAccountId: accountId,
      creditAccountId: payee.accountId,
      amount: amount.toString(),
      memo,
    };
    const result = await pay({ input });
    const refusal = result.data?.createTransfer.userErrors[0]?.message ?? result.error?.message;
    if (refusal) return setOutcome({ kind: 'error', text: t('pay.refused', { message: refusal }) });
    const paid = format.amount(amount.toString(), currency);
    setOutcome({ kind: 'done', text: t('pay.done', { amount: paid, name: payee.member.displayName }) });
    setPayee(null);
    setKey(crypto.randomUUID());
    onPaid();
  }

  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{t('pay.title')}</h2>
      {payee ? (
        <form onSubmit={(event) => void submit(event)}>
          <p>
            <strong>{t('pay.chosen', { name: payee.member.displayName })}</strong>{' '}
            <button type="button" className="link" onClick={() => setPayee(null)}>
              {t('pay.change')}
            </button>
          </p>
          <AmountFields currency={currency} />
          <label>
            {t('pay.memo')}
            <input name="memo" maxLength={500} />
          </label>
          <button type="submit" disabled={fetching}>
            {fetching ? t('pay.busy') : t('pay.submit')}
          </button>
        </form>
      ) : (
        <PayeeSearch communityId={communityId} onChoose={(chosen) => (setOutcome(null), setPayee(chosen))} />
      )}
      <OutcomeStatus outcome={outcome} />
    </section>
  );
}
