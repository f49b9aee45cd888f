import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { DateRangeFields, periodOfForm } from '../components/date-range';
import { textField } from '../components/form-field';
import { Pager, usePages } from '../components/pager';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { AuditLogDocument } from '../graphql/generated';
import type { AuditLogQuery, AuditLogQueryVariables } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

type Entry = AuditLogQuery['auditLog']['edges'][number]['node'];
type Filters = Pick<AuditLogQueryVariables, 'action' | 'from' | 'to'>;

/** The filters as the API takes them: both dates inclusive for people. */
function filtersOf(form: FormData): Filters {
  return { action: textField(form, 'action').trim() || null, ...periodOfForm(form) };
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
      <DateRangeFields />
      <button type="submit">{t('audit.filter')}</button>
    </form>
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
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * The community's audit log, newest first, narrowed by action and dates, a page at a time, newer
 * and older.
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
