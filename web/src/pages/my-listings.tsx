import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { listField, textField } from '../components/form-field';
import { OutcomeStatus, refusalOf, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import {
  CreateListingDocument,
  ListingCategoriesDocument,
  MyListingsDocument,
  UpdateListingDocument,
} from '../graphql/generated';
import type { ListingStatus, MoneyFragment, OwnListingFragment } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useViewer } from '../session/viewer';

/** What a new listing and a changed one both send, read from the form; null when the price is not an amount. */
function fieldsFrom(form: FormData, currency: MoneyFragment) {
  const price = amountOf(form, currency);
  if (price === null) return null;
  const quantity = textField(form, 'quantity');
  return {
    title: textField(form, 'title').trim(),
    category: textField(form, 'category'),
    description: textField(form, 'description'),
    district: textField(form, 'district').trim(),
    availability: textField(form, 'availability').trim(),
    price: price.toString(),
    pricing: textField(form, 'pricing') === 'FIXED' ? ('FIXED' as const) : ('PER_HOUR' as const),
    quantity: quantity ? Number(quantity) : undefined,
    tags: listField(form, 'tags'),
  };
}

/** A choice of one among a few, as radio buttons in a fieldset (a listing's kind, nature and pricing). */
function Choice({ name, options, initial }: { name: string; options: readonly string[]; initial: string }) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t(`myListings.${name}`)}</legend>
      {options.map((option) => (
        <label key={option} className="choice">
          <input type="radio" name={name} value={option} defaultChecked={option === initial} />
          {t(`myListings.${option}`)}
        </label>
      ))}
    </fieldset>
  );
}

function CategorySelect({ initial }: { initial?: string }) {
  const { t, i18n } = useTranslation();
  const [{ data }] = useQuery({ query: ListingCategoriesDocument });
  const korean = i18n.language.startsWith('ko');
  return (
    <label>
      {t('myListings.category')}
      <select name="category" required defaultValue={initial}>
        {data?.listingCategories.map((category) => (
          <option key={category.slug} value={category.slug}>
            {korean ? category.nameKo : category.nameEn}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A new listing, or changes to one of the member's own: what it is can change, but not whether it
 * is an offer or a request, labour or goods (the API keeps those as posted).
 */
function ListingForm({
  listing,
  currency,
  onDone,
}: {
  listing?: OwnListingFragment;
  currency: MoneyFragment;
  onDone: (outcome: Outcome | null) => void;
}) {
  const { t } = useTranslation();
  const { membership } = useViewer();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [created, create] = useMutation(CreateListingDocument);
  const [updated, update] = useMutation(UpdateListingDocument);

  async function send(form: FormData) {
    const fields = fieldsFrom(form, currency);
    if (!fields) return t('myListings.badPrice');
    if (listing) {
      const result = await update({ input: { listingId: listing.id, ...fields } });
      return refusalOf(result.data?.updateListing, result.error);
    }
    const kind = textField(form, 'kind') === 'REQUEST' ? ('REQUEST' as const) : ('OFFER' as const);
    const nature = textField(form, 'nature') === 'GOODS' ? ('GOODS' as const) : ('SERVICE' as const);
    const input = { communityId: membership!.community.id, kind, nature, ...fields };
    const result = await create({ input });
    return refusalOf(result.data?.createListing, result.error);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = textField(form, 'title').trim();
    const refusal = await send(form);
    if (refusal) return setOutcome({ kind: 'error', text: t('myListings.refused', { message: refusal }) });
    onDone({ kind: 'done', text: t(listing ? 'myListings.changed' : 'myListings.posted', { title }) });
  }

  return (
    <form className="card" onSubmit={(event) => void submit(event)}>
      {!listing && <Choice name="kind" options={['OFFER', 'REQUEST']} initial="OFFER" />}
      <label>
        {t('myListings.title')}
        <input name="title" required minLength={3} maxLength={120} defaultValue={listing?.title} />
      </label>
      <CategorySelect initial={listing?.category} />
      <label>
        {t('myListings.description')}
        <textarea name="description" maxLength={4000} rows={3} defaultValue={listing?.description} />
      </label>
      <label>
        {t('myListings.district')}
        <input name="district" maxLength={100} defaultValue={listing?.district} />
      </label>
      <label>
        {t('myListings.availability')}
        <input name="availability" maxLength={500} defaultValue={listing?.availability} />
      </label>
      <fieldset>
        <legend>{t('myListings.price')}</legend>
        <AmountFields currency={currency} initial={listing ? BigInt(listing.price) : null} />
      </fieldset>
      <Choice name="pricing" options={['PER_HOUR', 'FIXED']} initial={listing?.pricing ?? 'PER_HOUR'} />
      {!listing && <Choice name="nature" options={['SERVICE', 'GOODS']} initial="SERVICE" />}
      {(!listing || listing.nature === 'GOODS') && (
        <label>
          {t('myListings.quantity')}
          <input name="quantity" type="number" min="0" max="10000" defaultValue={listing?.quantity ?? undefined} />
        </label>
      )}
      <label>
        {t('myListings.tags')}
        <input name="tags" defaultValue={listing?.tags.join(', ')} />
      </label>
      <div className="actions">
        <button type="submit" disabled={created.fetching || updated.fetching}>
          {t(listing ? 'myListings.save' : 'myListings.post')}
        </button>
        <button type="button" className="link" onClick={() => onDone(null)}>
          {t('myListings.cancel')}
        </button>
      </div>
      <OutcomeStatus outcome={outcome} />
    </form>
  );
}

/** The state a listing can be moved to from where it is: paused and resumed at will, closed for good. */
const NEXT_STATUSES: Record<ListingStatus, ListingStatus[]> = {
  ACTIVE: ['PAUSED', 'CLOSED'],
  PAUSED: ['ACTIVE', 'CLOSED'],
  CLOSED: [],
};

function OwnListingCard({
  listing,
  currency,
  onOutcome,
}: {
  listing: OwnListingFragment;
  currency: MoneyFragment;
  onOutcome: (outcome: Outcome) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [{ fetching }, update] = useMutation(UpdateListingDocument);

  async function move(status: ListingStatus) {
    setClosing(false);
    const result = await update({ input: { listingId: listing.id, status } });
    const refusal = refusalOf(result.data?.updateListing, result.error);
    onOutcome(
      refusal
        ? { kind: 'error', text: t('myListings.refused', { message: refusal }) }
        : { kind: 'done', text: t(`myListings.moved${status}`, { title: listing.title }) },
    );
  }

  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{listing.title}</h3>
      <p className="muted">
        {t(`myListings.status${listing.status}`)} · {t(`myListings.${listing.kind}`)} ·{' '}
        {t(`listings.${listing.pricing}`, { amount: format.amount(listing.price, currency) })}
      </p>
      {editing ? (
        <ListingForm
          listing={listing}
          currency={currency}
          onDone={(outcome) => {
            setEditing(false);
            if (outcome) onOutcome(outcome);
          }}
        />
      ) : closing ? (
        // Closing cannot be undone: asked once more.
        <div className="confirm">
          <p>{t('myListings.closeForGood', { title: listing.title })}</p>
          <button type="button" disabled={fetching} onClick={() => void move('CLOSED')}>
            {t('myListings.confirmClose')}
          </button>
          <button type="button" className="link" onClick={() => setClosing(false)}>
            {t('myListings.cancel')}
          </button>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={`${t('myListings.edit')}: ${listing.title}`}
          >
            {t('myListings.edit')}
          </button>
          {NEXT_STATUSES[listing.status].map((status) => (
            <button
              key={status}
              type="button"
              className="link"
              disabled={fetching}
              onClick={() => (status === 'CLOSED' ? setClosing(true) : void move(status))}
              aria-label={`${t(`myListings.to${status}`)}: ${listing.title}`}
            >
              {t(`myListings.to${status}`)}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}

/** The member's own listings, offered or paused (closed ones are gone for good), and posting a new one. */
export function MyListings({ currency }: { currency: MoneyFragment }) {
  const { t } = useTranslation();
  const { member, membership } = useViewer();
  const headingId = useId();
  const [posting, setPosting] = useState(false);
  const [{ data, error }, refresh] = useQuery({
    query: MyListingsDocument,
    variables: { communityId: membership?.community.id ?? '', memberId: member.id },
  });
  const [outcome, onOutcome] = useOutcome(refresh);
  const own = data && [...data.active.edges, ...data.paused.edges].map((edge) => edge.node);
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('myListings.heading')}</h2>
      {posting ? (
        <ListingForm
          currency={currency}
          onDone={(done) => {
            setPosting(false);
            if (done) onOutcome(done);
          }}
        />
      ) : (
        <button type="button" onClick={() => setPosting(true)}>
          {t('myListings.new')}
        </button>
      )}
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {own?.length === 0 && <p className="muted">{t('myListings.none')}</p>}
      {own?.map((listing) => (
        <OwnListingCard key={listing.id} listing={listing} currency={currency} onOutcome={onOutcome} />
      ))}
    </section>
  );
}
