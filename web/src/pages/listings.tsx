import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { textField } from '../components/form-field';
import { OutcomeStatus, Status } from '../components/status';
import type { Outcome } from '../components/status';
import { ListingsDocument, ProposeExchangeDocument } from '../graphql/generated';
import type { ListingsQuery, MoneyFragment } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useViewer } from '../session/viewer';
import { MyListings } from './my-listings';

type Listing = ListingsQuery['listings']['edges'][number]['node'];

/** Proposing an exchange on a listing: an estimate (what acceptance will hold) and a message. */
function ProposeForm({ listing, currency, onDone }: { listing: Listing; currency: MoneyFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ fetching }, propose] = useMutation(ProposeExchangeDocument);
  const name = listing.member?.displayName ?? '';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const amount = amountOf(form, currency);
    if (!amount || amount <= 0n) return setOutcome({ kind: 'error', text: t('listings.zero') });
    const input = {
      listingId: listing.id,
      estimatedAmount: amount.toString(),
      description: textField(form, 'description'),
    };
    const result = await propose({ input });
    const refusal = result.data?.proposeExchange.userErrors[0]?.message ?? result.error?.message;
    setOutcome(
      refusal
        ? { kind: 'error', text: t('listings.refused', { message: refusal }) }
        : { kind: 'done', text: t('listings.proposed', { name }) },
    );
  }

  if (outcome?.kind === 'done') return <Status kind="done">{outcome.text}</Status>;
  return (
    <form onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{t('listings.estimate')}</legend>
        <AmountFields currency={currency} />
      </fieldset>
      <label>
        {t('listings.description')}
        <input name="description" maxLength={2000} />
      </label>
      <div className="actions">
        <button type="submit" disabled={fetching}>
          {t('listings.send')}
        </button>
        <button type="button" className="link" onClick={onDone}>
          {t('listings.cancel')}
        </button>
      </div>
      <OutcomeStatus outcome={outcome} />
    </form>
  );
}

function ListingCard({ listing, currency }: { listing: Listing; currency: MoneyFragment }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { member } = useViewer();
  const headingId = useId();
  const [proposing, setProposing] = useState(false);
  const own = listing.member?.id === member.id;
  const name = listing.member?.displayName ?? '';
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{listing.title}</h2>
      <p className="muted">
        {t(`listings.${listing.kind}`, { name })} · {listing.district && `${listing.district} · `}
        {t(`listings.${listing.pricing}`, { amount: format.amount(listing.price, currency) })}
      </p>
      <p>{listing.description}</p>
      {!own &&
        (proposing ? (
          <ProposeForm listing={listing} currency={currency} onDone={() => setProposing(false)} />
        ) : (
          <button
            type="button"
            onClick={() => setProposing(true)}
            aria-label={`${t('listings.propose')}: ${listing.title}`}
          >
            {t('listings.propose')}
          </button>
        ))}
    </article>
  );
}

/**
 * The community's active listings, searched in Korean or English (part of a word matches too);
 * above them the member's own, and posting a new one.
 */
export function ListingsPage() {
  const { t } = useTranslation();
  const { membership, currency } = useViewer();
  const [query, setQuery] = useState('');
  const communityId = membership?.community.id ?? '';
  const [{ data, error }] = useQuery({
    query: ListingsDocument,
    variables: { communityId, query: query.trim() || null },
    pause: !membership,
  });
  if (!membership || !currency) return <p>{t('noMembership')}</p>;
  const listings = data?.listings.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('listings.title')}</h1>
      <MyListings currency={currency} />
      <h2>{t('listings.find')}</h2>
      <label>
        {t('listings.search')}
        <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </label>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {data && (
        <p className="muted" role="status">
          {data.listings.totalCount ? t('listings.count', { count: data.listings.totalCount }) : t('listings.none')}
        </p>
      )}
      {listings?.map((listing) => (
        <ListingCard key={listing.id} listing={listing} currency={currency} />
      ))}
    </section>
  );
}
