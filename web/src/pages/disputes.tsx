import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { textField } from '../components/form-field';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import { CommunityActivityDocument, DisputesDocument, ResolveDisputeDocument } from '../graphql/generated';
import type { DisputeOutcome, DisputesQuery } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';

type Dispute = DisputesQuery['exchanges']['edges'][number]['node'];

const OUTCOMES: DisputeOutcome[] = ['POST_FULL', 'POST_PART', 'VOID'];

const titleOf = (dispute: Dispute): string => dispute.listing?.title ?? dispute.description;

/** How the coordinator settles one dispute: in full, in part (how much), or not at all, always with a reason. */
function ResolveForm({ dispute, onOutcome }: { dispute: Dispute; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const { currency } = useCoordinatedCommunity();
  const [outcome, setOutcome] = useState<DisputeOutcome>('POST_FULL');
  const [{ fetching }, resolve] = useMutation(ResolveDisputeDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const amount = outcome === 'POST_PART' ? amountOf(form, currency) : null;
    if (outcome === 'POST_PART' && !amount) return onOutcome({ kind: 'error', text: t('disputes.noAmount') });
    const input = { exchangeId: dispute.id, outcome, reason: textField(form, 'reason'), amount: amount?.toString() };
    const result = await resolve({ input });
    const refusal = result.data?.resolveExchangeDispute.userErrors[0]?.message ?? result.error?.message;
    onOutcome(
      refusal
        ? { kind: 'error', text: t('disputes.refused', { message: refusal }) }
        : { kind: 'done', text: t('disputes.done', { title: titleOf(dispute) }) },
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{t('disputes.outcome')}</legend>
        {OUTCOMES.map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="outcome"
              value={value}
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />
            {t(`disputes.${value}`)}
          </label>
        ))}
      </fieldset>
      {outcome === 'POST_PART' && <AmountFields currency={currency} />}
      <label>
        {t('disputes.reason')}
        <input name="reason" required minLength={1} maxLength={1000} />
      </label>
      <button type="submit" disabled={fetching}>
        {fetching ? t('disputes.busy') : t('disputes.submit')}
      </button>
    </form>
  );
}

function DisputeCard({ dispute, onOutcome }: { dispute: Dispute; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const headingId = useId();
  const names = { provider: dispute.provider?.displayName ?? '?', receiver: dispute.receiver?.displayName ?? '?' };
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{titleOf(dispute)}</h2>
      <p>{t('disputes.between', names)}</p>
      <dl className="facts">
        {dispute.holdTransfer && (
          <div>
            <dt>{t('disputes.held')}</dt>
            <dd>{format.amount(dispute.holdTransfer.amount, currency)}</dd>
          </div>
        )}
        {dispute.actualAmount !== null && (
          <div>
            <dt>{t('disputes.stated')}</dt>
            <dd>{format.amount(dispute.actualAmount, currency)}</dd>
          </div>
        )}
        <div>
          <dt>{t('disputes.why')}</dt>
          <dd>{dispute.reason}</dd>
        </div>
      </dl>
      <ResolveForm dispute={dispute} onOutcome={onOutcome} />
    </article>
  );
}

/** The exchanges in dispute, oldest first, each with what is held and what was said, and the form that settles it. */
export function DisputesPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data, error }, refresh] = useLiveQuery(
    { query: DisputesDocument, variables: { communityId: community.id } },
    { query: CommunityActivityDocument, variables: { communityId: community.id } },
  );
  const [outcome, onOutcome] = useOutcome(refresh);
  const disputes = data?.exchanges.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('disputes.title')}</h1>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!disputes && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {disputes?.length === 0 && <p>{t('disputes.empty')}</p>}
      {disputes?.map((dispute) => (
        <DisputeCard key={dispute.id} dispute={dispute} onOutcome={onOutcome} />
      ))}
      {data?.exchanges.pageInfo.hasNextPage && <p>{t('disputes.more')}</p>}
    </section>
  );
}
