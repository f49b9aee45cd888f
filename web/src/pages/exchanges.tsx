import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { textField } from '../components/form-field';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import {
  AcceptExchangeDocument,
  CancelExchangeDocument,
  ConfirmExchangeDocument,
  DisputeExchangeDocument,
  MarkDeliveredDocument,
  MyExchangesActivityDocument,
  MyExchangesDocument,
  ReviewExchangeDocument,
} from '../graphql/generated';
import type { MoneyFragment, MyExchangesQuery } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useViewer } from '../session/viewer';

type Exchange = MyExchangesQuery['exchanges']['edges'][number]['node'];
type Refusal = { userErrors: { message: string }[] };

interface CardProps {
  exchange: Exchange;
  currency: MoneyFragment;
  onOutcome: (outcome: Outcome) => void;
}

/** What an action asks for besides the exchange: nothing, a reason, an amount, or a review. */
type Fields = 'none' | 'reason' | 'amount' | 'review';

interface Action {
  name: 'accept' | 'cancel' | 'deliver' | 'confirm' | 'dispute' | 'review';
  fields: Fields;
  /** Sends it; the payload's refusals, or the request's error message. */
  send: (form: FormData) => Promise<Refusal | string | undefined>;
}

/**
 * The steps open to this member on this exchange (docs/exchanges.md): the other party accepts a
 * proposal, either may cancel before delivery, the provider states what it came to, the receiver
 * confirms (and pays) or disputes, and once settled each may review the other.
 */
function useActions(exchange: Exchange, currency: MoneyFragment): Action[] {
  const client = useClient();
  const { member } = useViewer();
  const exchangeId = exchange.id;
  const provider = exchange.provider?.id === member.id;
  const proposer = exchange.proposer?.id === member.id;
  const run = async <D,>(
    pending: PromiseLike<{ data?: D; error?: { message: string } }>,
    pick: (data: D) => Refusal,
  ) => {
    const result = await pending;
    return result.data ? pick(result.data) : result.error?.message;
  };
  const accept: Action = {
    name: 'accept',
    fields: 'none',
    send: () =>
      run(client.mutation(AcceptExchangeDocument, { input: { exchangeId } }).toPromise(), (d) => d.acceptExchange),
  };
  const cancel: Action = {
    name: 'cancel',
    fields: 'reason',
    send: (form) =>
      run(
        client
          .mutation(CancelExchangeDocument, { input: { exchangeId, reason: textField(form, 'reason') } })
          .toPromise(),
        (d) => d.cancelExchange,
      ),
  };
  const deliver: Action = {
    name: 'deliver',
    fields: 'amount',
    send: (form) =>
      run(
        client
          .mutation(MarkDeliveredDocument, {
            input: { exchangeId, actualAmount: (amountOf(form, currency) ?? 0n).toString() },
          })
          .toPromise(),
        (d) => d.markExchangeDelivered,
      ),
  };
  const confirm: Action = {
    name: 'confirm',
    fields: 'none',
    send: () =>
      run(client.mutation(ConfirmExchangeDocument, { input: { exchangeId } }).toPromise(), (d) => d.confirmExchange),
  };
  const dispute: Action = {
    name: 'dispute',
    fields: 'reason',
    send: (form) =>
      run(
        client
          .mutation(DisputeExchangeDocument, { input: { exchangeId, reason: textField(form, 'reason') } })
          .toPromise(),
        (d) => d.disputeExchange,
      ),
  };
  const review: Action = {
    name: 'review',
    fields: 'review',
    send: (form) =>
      run(
        client
          .mutation(ReviewExchangeDocument, {
            input: { exchangeId, rating: Number(textField(form, 'rating')), comment: textField(form, 'comment') },
          })
          .toPromise(),
        (d) => d.reviewExchange,
      ),
  };
  switch (exchange.status) {
    case 'PROPOSED':
      return proposer ? [cancel] : [accept, cancel];
    case 'ACCEPTED':
      return provider ? [deliver, cancel] : [cancel];
    case 'DELIVERED':
      return provider ? [] : [confirm, dispute];
    case 'CONFIRMED':
    case 'RESOLVED':
      return [review];
    default:
      return [];
  }
}

function ActionFields({ fields, currency }: { fields: Fields; currency: MoneyFragment }) {
  const { t } = useTranslation();
  if (fields === 'reason') {
    return (
      <label>
        {t('exchanges.reason')}
        <input name="reason" required maxLength={1000} />
      </label>
    );
  }
  if (fields === 'amount') {
    return (
      <fieldset>
        <legend>{t('exchanges.actualAmount')}</legend>
        <AmountFields currency={currency} />
      </fieldset>
    );
  }
  if (fields === 'review') {
    return (
      <>
        <label>
          {t('exchanges.rating')}
          <input name="rating" type="number" min="1" max="5" step="1" required />
        </label>
        <label>
          {t('exchanges.comment')}
          <input name="comment" maxLength={2000} />
        </label>
      </>
    );
  }
  return null;
}

/** The actions as buttons; one that needs more than a click opens its fields first. */
function ExchangeActions({ exchange, currency, onOutcome }: CardProps) {
  const { t } = useTranslation();
  const actions = useActions(exchange, currency);
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);

  async function perform(action: Action, form: FormData) {
    setBusy(true);
    const answer = await action.send(form);
    setBusy(false);
    setOpen(null);
    const refusal = typeof answer === 'string' ? answer : answer?.userErrors[0]?.message;
    const label = t(`exchanges.${action.name}`);
    onOutcome(
      refusal
        ? { kind: 'error', text: t('exchanges.refused', { message: refusal }) }
        : { kind: 'done', text: t('exchanges.done', { action: label }) },
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (open) void perform(open, new FormData(event.currentTarget));
  }

  if (open) {
    return (
      <form onSubmit={submit}>
        <ActionFields fields={open.fields} currency={currency} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('exchanges.send', { action: t(`exchanges.${open.name}`) })}
          </button>
          <button type="button" className="link" onClick={() => setOpen(null)}>
            {t('exchanges.back')}
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="actions">
      {actions.map((action) => (
        <button
          key={action.name}
          type="button"
          disabled={busy}
          onClick={() => (action.fields === 'none' ? void perform(action, new FormData()) : setOpen(action))}
        >
          {t(`exchanges.${action.name}`)}
        </button>
      ))}
    </div>
  );
}

function ExchangeCard({ exchange, currency, onOutcome }: CardProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const { member } = useViewer();
  const headingId = useId();
  const provider = exchange.provider?.id === member.id;
  const other = (provider ? exchange.receiver : exchange.provider)?.displayName ?? '';
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{exchange.listing?.title ?? exchange.description}</h2>
      <p>{t(provider ? 'exchanges.youProvide' : 'exchanges.youReceive', { name: other })}</p>
      <dl className="facts">
        <div>
          <dt>{t('exchanges.status')}</dt>
          <dd>{t(`exchanges.${exchange.status}`)}</dd>
        </div>
        <div>
          <dt>{t('exchanges.estimated')}</dt>
          <dd>{format.amount(exchange.estimatedAmount, currency)}</dd>
        </div>
        {exchange.actualAmount !== null && (
          <div>
            <dt>{t('exchanges.actual')}</dt>
            <dd>{format.amount(exchange.actualAmount, currency)}</dd>
          </div>
        )}
      </dl>
      <ExchangeActions exchange={exchange} currency={currency} onOutcome={onOutcome} />
    </article>
  );
}

/** The member's own exchanges, newest first, each with the steps open to them. */
export function ExchangesPage() {
  const { t } = useTranslation();
  const { currency } = useViewer();
  const [{ data, error }, refresh] = useLiveQuery(
    { query: MyExchangesDocument },
    { query: MyExchangesActivityDocument, variables: {} },
  );
  const [outcome, onOutcome] = useOutcome(refresh);
  if (!currency) return <p>{t('noMembership')}</p>;
  const exchanges = data?.exchanges.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('exchanges.title')}</h1>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {exchanges?.length === 0 && <p>{t('exchanges.none')}</p>}
      {exchanges?.map((exchange) => (
        <ExchangeCard key={exchange.id} exchange={exchange} currency={currency} onOutcome={onOutcome} />
      ))}
    </section>
  );
}
