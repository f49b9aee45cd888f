import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { textField } from '../components/form-field';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import {
  ApproveMembershipDocument,
  CommunityActivityDocument,
  GrantCreditsDocument,
  MembersDocument,
  ReinstateMembershipDocument,
  SuspendMembershipDocument,
} from '../graphql/generated';
import type { MemberRowFragment, MembersQuery, MembersQueryVariables, MembershipStatus } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';
import { InviteForm } from './invite-form';
import { LimitsAction, useLimitsText } from './member-limits';

const STATUSES: MembershipStatus[] = ['PENDING', 'ACTIVE', 'SUSPENDED', 'CLOSED'];

/**
 * What a coordinator may do to a membership in each state, the mutation that does it, and what the
 * audit log is told why: a reason a suspension must give, a note a reinstatement may give.
 */
const ACTIONS = {
  PENDING: { name: 'approve', document: ApproveMembershipDocument, why: null },
  ACTIVE: { name: 'suspend', document: SuspendMembershipDocument, why: 'reason' },
  SUSPENDED: { name: 'reinstate', document: ReinstateMembershipDocument, why: 'note' },
} as const;

/**
 * One action on one membership, confirmed before it is sent (with a reason where the audit log
 * needs one); the server's refusal (userErrors) is shown as it says it.
 */
function MembershipAction({ row, onOutcome }: { row: MemberRowFragment; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const action = row.status in ACTIONS ? ACTIONS[row.status as keyof typeof ACTIONS] : null;
  const [{ fetching }, run] = useMutation(action?.document ?? ApproveMembershipDocument);
  if (!action) return null;
  const label = t(`members.${action.name}`);
  const name = row.member.displayName;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = textField(new FormData(event.currentTarget), 'reason') || null;
    const result = await run({ input: { membershipId: row.id, reason } });
    const payload = result.data && Object.values(result.data)[0];
    const refusal = payload?.userErrors[0]?.message ?? result.error?.message;
    setConfirming(false);
    if (refusal) return onOutcome({ kind: 'error', text: t('members.refused', { message: refusal }) });
    const status = payload?.membership?.status ?? row.status;
    onOutcome({ kind: 'done', text: t('members.done', { name, status: t(`members.${status}`) }) });
  }

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} aria-label={`${label}: ${name}`}>
        {label}
      </button>
    );
  }
  return (
    <form className="confirm" onSubmit={(event) => void submit(event)}>
      {action.why && (
        <label>
          {t(`members.${action.why}`)}
          <input name="reason" required={action.why === 'reason'} maxLength={500} />
        </label>
      )}
      <button type="submit" disabled={fetching}>
        {t('members.confirm', { action: label, name })}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('members.cancel')}
      </button>
    </form>
  );
}

/**
 * New credits for an active member, from the currency's issuance, with a reason for the audit log.
 * One idempotency key per opened form, so that a repeated submit grants once.
 */
function GrantAction({ row, onOutcome }: { row: MemberRowFragment; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  const [key, setKey] = useState<string | null>(null);
  const [{ fetching }, grant] = useMutation(GrantCreditsDocument);
  const name = row.member.displayName;
  if (!key) {
    return (
      <button type="button" onClick={() => setKey(crypto.randomUUID())} aria-label={`${t('members.grant')}: ${name}`}>
        {t('members.grant')}
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const amount = amountOf(form, currency);
    if (!amount || amount <= 0n) return onOutcome({ kind: 'error', text: t('members.zero') });
    const input = {
      idempotencyKey: key!,
      accountId: row.account.id,
      amount: amount.toString(),
      source: 'ISSUANCE' as const,
      reason: textField(form, 'reason'),
    };
    const result = await grant({ input });
    const refusal = result.data?.grantCredits.userErrors[0]?.message ?? result.error?.message;
    setKey(null);
    onOutcome(
      refusal
        ? { kind: 'error', text: t('members.refused', { message: refusal }) }
        : { kind: 'done', text: t('members.granted', { amount: format.amount(amount.toString(), currency), name }) },
    );
  }

  return (
    <form className="confirm" onSubmit={(event) => void submit(event)}>
      <AmountFields currency={currency} />
      <label>
        {t('members.grantReason')}
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" disabled={fetching}>
        {t('members.confirm', { action: t('members.grant'), name })}
      </button>
      <button type="button" onClick={() => setKey(null)}>
        {t('members.cancel')}
      </button>
    </form>
  );
}

/** The search as typed, once typing pauses: the list is asked for again then, not at every key. */
function useSettled(value: string, delayMs = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

type MembersPageData = MembersQuery['memberships'];

interface RowsProps {
  page: MembersPageData;
  /** Set on the last page read: how to ask for the one after it. */
  onMore?: (after: string) => void;
  onOutcome: (outcome: Outcome) => void;
}

/** One page of memberships (50), and on the last page read, the way to the next. */
function MemberRows({ page, onMore, onOutcome }: RowsProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const limitsText = useLimitsText();
  const { currency } = useCoordinatedCommunity();
  const rows = page.edges.map((edge) => edge.node);
  const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.id}>
          <th scope="row">{row.member.displayName}</th>
          <td>{row.member.email}</td>
          <td>{t(`members.${row.status}`)}</td>
          <td>{t(`members.${row.role}`)}</td>
          <td className="number">{format.amount(row.account.balance, currency)}</td>
          <td className="number">{limitsText(row.account)}</td>
          <td>
            <div className="actions">
              <MembershipAction row={row} onOutcome={onOutcome} />
              {row.status === 'ACTIVE' && <GrantAction row={row} onOutcome={onOutcome} />}
              {row.status !== 'CLOSED' && <LimitsAction row={row} onOutcome={onOutcome} />}
            </div>
          </td>
        </tr>
      ))}
      {onMore && next && (
        <tr>
          <td colSpan={COLUMNS.length}>
            <button type="button" onClick={() => onMore(next)}>
              {t('members.more')}
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** A page after the first, read when the coordinator asks for it. */
function LaterPage({ variables, ...props }: Omit<RowsProps, 'page'> & { variables: MembersQueryVariables }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MembersDocument, variables });
  if (data) return <MemberRows page={data.memberships} {...props} />;
  return (
    <tbody>
      <tr>
        <td colSpan={COLUMNS.length}>
          {error ? (
            <Status kind="error">{t('app.error', { message: error.message })}</Status>
          ) : (
            <Status kind="loading">{t('app.loading')}</Status>
          )}
        </td>
      </tr>
    </tbody>
  );
}

const COLUMNS = ['name', 'email', 'status', 'role', 'balance', 'limits', 'actions'] as const;
const NUMERIC_COLUMNS: readonly string[] = ['balance', 'limits'];

/**
 * The community's memberships by state, searched by name or email, 50 a page; approve, suspend,
 * reinstate, grant credits, set limits and invite. It follows the community's events, so balances
 * change on it as they change in the ledger.
 */
export function MembersPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [status, setStatus] = useState<MembershipStatus | ''>('');
  const [search, setSearch] = useState('');
  const query = useSettled(search.trim());
  // The cursors of the pages after the first that the coordinator asked for, for the search they
  // were read with: a new search or filter starts again from the first page.
  const [asked, setAsked] = useState<{ query: string; cursors: string[] }>({ query: '', cursors: [] });
  const later = asked.query === query ? asked.cursors : [];
  const base = { communityId: community.id, status: status || null, query: query || null };
  const [{ data, error }, refresh] = useLiveQuery(
    { query: MembersDocument, variables: { ...base, after: null } },
    { query: CommunityActivityDocument, variables: { communityId: community.id } },
  );
  const [outcome, onOutcome] = useOutcome(refresh);
  const first = data?.memberships;
  const more = (after: string) => setAsked({ query, cursors: [...later, after] });
  return (
    <section>
      <h1>{t('members.title')}</h1>
      <InviteForm onOutcome={onOutcome} />
      <div className="filters">
        <label className="inline">
          {t('members.filter')}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as MembershipStatus | '');
              setAsked({ query, cursors: [] });
            }}
          >
            <option value="">{t('members.all')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`members.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          {t('members.search')}
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
      </div>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {first ? (
        <>
          <p className="muted">{t('members.total', { count: first.totalCount })}</p>
          <ScrollRegion label={t('members.title')}>
            <table>
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th key={column} scope="col" className={NUMERIC_COLUMNS.includes(column) ? 'number' : undefined}>
                      {t(`members.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <MemberRows page={first} onOutcome={onOutcome} onMore={later.length ? undefined : more} />
              {later.map((after, index) => (
                <LaterPage
                  key={after}
                  variables={{ ...base, after }}
                  onOutcome={onOutcome}
                  onMore={index === later.length - 1 ? more : undefined}
                />
              ))}
            </table>
          </ScrollRegion>
        </>
      ) : (
        !error && <Status kind="loading">{t('app.loading')}</Status>
      )}
    </section>
  );
}
