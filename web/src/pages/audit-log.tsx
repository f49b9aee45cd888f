import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { DateRangeFields, periodOfForm } from '../components/date-range';
import { textField } from '../components/form-field';
import { Pager, usePages } from '../components/pager';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { AuditActorsDocument, AuditLogDocument } from '../graphql/generated';
import type { AuditLogQuery, AuditLogQueryVariables } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

type Entry = AuditLogQuery['auditLog']['edges'][number]['node'];
type Filters = Omit<AuditLogQueryVariables, 'communityId' | 'after'>;

/** What an action can be done to, as the audit log names it (AuditEntry.targetType). */
const TARGET_TYPES = ['account', 'community', 'exchange', 'listing', 'member', 'membership', 'partner_app', 'transfer'];

/** The filters as the API takes them: both dates inclusive for people. */
function filtersOf(form: FormData): Filters {
  return {
    action: textField(form, 'action').trim() || null,
    actorMemberId: textField(form, 'actor') || null,
    targetType: textField(form, 'targetType') || null,
    targetId: textField(form, 'targetId').trim() || null,
    ...periodOfForm(form),
  };
}

/** The community's members, by name, to narrow the log to what one of them did. */
function ActorSelect() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data }] = useQuery({ query: AuditActorsDocument, variables: { communityId: community.id } });
  const members = data?.memberships.edges.map((edge) => edge.node.member) ?? [];
  return (
    <label>
      {t('audit.actorFilter')}
      <select name="actor" defaultValue="">
        <option value="">{t('audit.anyone')}</option>
        {members.map((member) => (
          <option key={member.id} value={member.id}>
            {member.displayName}
          </option>
        ))}
      </select>
    </label>
  );
}

function FilterForm({ onFilter }: { onFilter: (filters: Filters) => void }) {
  const { t } = useTranslation();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onFilter(filtersOf(new FormData(event.currentTarget)));
  }
  return (
    <form className="filters" onSubmit={submit}>
      <label>
        {t('audit.actionFilter')}
        <input name="action" maxLength={64} />
      </label>
      <ActorSelect />
      <label>
        {t('audit.targetTypeFilter')}
        <select name="targetType" defaultValue="">
          <option value="">{t('audit.anything')}</option>
          {TARGET_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('audit.targetIdFilter')}
        <input name="targetId" maxLength={200} />
      </label>
      <DateRangeFields />
      <button type="submit">{t('audit.filter')}</button>
    </form>
  );
}

/** An entry's particulars (before and after, amounts), as the API records them, opened on demand. */
function EntryDetails({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  return (
    <details>
      <summary>{t('audit.show')}</summary>
      <dl className="entry-details">
        <dt>{t('audit.targetId')}</dt>
        <dd>
          <code>{entry.targetId}</code>
        </dd>
        <dt>{t('audit.particulars')}</dt>
        <dd>
          <pre>{JSON.stringify(entry.details, null, 2)}</pre>
        </dd>
      </dl>
    </details>
  );
}

function EntriesTable({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ScrollRegion label={t('audit.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.reason')}</th>
            <th scope="col">{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">{format.dateTime(entry.createdAt)}</th>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>{entry.actorMember?.displayName ?? t(`audit.${entry.actorRole}`)}</td>
              <td>{entry.targetType}</td>
              <td>{entry.reason}</td>
              <td>
                <EntryDetails entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * The community's audit log, newest first, narrowed by action, actor, target and dates, a page at
 * a time, newer and older.
 */
export function AuditLogPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [filters, setFilters] = useState<Filters>({});
  const pages = usePages();
  const [{ data, error }] = useQuery({
    query: AuditLogDocument,
    variables: { communityId: community.id, ...filters, after: pages.after },
  });
  const entries = data?.auditLog.edges.map((edge) => edge.node);
  const filter = (chosen: Filters) => {
    setFilters(chosen);
    pages.reset();
  };
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <FilterForm onFilter={filter} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!entries && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {entries?.length === 0 && <p>{t('audit.empty')}</p>}
      {entries && entries.length > 0 && <EntriesTable entries={entries} />}
      <Pager
        pages={pages}
        pageInfo={data?.auditLog.pageInfo}
        labels={{ back: t('audit.previous'), on: t('audit.next') }}
      />
    </section>
  );
}
