import { useState } from 'react';
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
  GrantCreditsDocument,
  MembersDocument,
  ReinstateMembershipDocument,
  SuspendMembershipDocument,
} from '../graphql/generated';
import type { MemberRowFragment, MembershipStatus } from '../graphql/generated';
import { amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

const STATUSES: MembershipStatus[] = ['PENDING', 'ACTIVE', 'SUSPENDED', 'CLOSED'];

/** What a coordinator may do to a membership in each state, and the mutation that does it. */
const ACTIONS = {
  PENDING: { name: 'approve', document: ApproveMembershipDocument, needsReason: false },
  ACTIVE: { name: 'suspend', document: SuspendMembershipDocument, needsReason: true },
  SUSPENDED: { name: 'reinstate', document: ReinstateMembershipDocument, needsReason: false },
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
      {action.needsReason && (
        <label>
          {t('members.reason')}
          <input name="reason" required maxLength={500} />
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

function MemberRows({ rows, onOutcome }: { rows: MemberRowFragment[]; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  return (
    <ScrollRegion label={t('members.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.name')}</th>
            <th scope="col">{t('members.email')}</th>
            <th scope="col">{t('members.status')}</th>
            <th scope="col">{t('members.role')}</th>
            <th scope="col" className="number">
              {t('members.balance')}
            </th>
            <th scope="col">{t('members.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.member.displayName}</th>
              <td>{row.member.email}</td>
              <td>{t(`members.${row.status}`)}</td>
              <td>{t(`members.${row.role}`)}</td>
              <td className="number">{format.amount(row.account.balance, currency)}</td>
              <td>
                <div className="actions">
                  <MembershipAction row={row} onOutcome={onOutcome} />
                  {row.status === 'ACTIVE' && <GrantAction row={row} onOutcome={onOutcome} />}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The community's memberships by state, with approve, suspend and reinstate. */
export function MembersPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [status, setStatus] = useState<MembershipStatus | ''>('');
  const [{ data, error }, refresh] = useQuery({
    query: MembersDocument,
    variables: { communityId: community.id, status: status || null },
  });
  const [outcome, onOutcome] = useOutcome(refresh);
  const page = data?.memberships;
  return (
    <section>
      <h1>{t('members.title')}</h1>
      <label className="inline">
        {t('members.filter')}
        <select value={status} onChange={(event) => setStatus(event.target.value as MembershipStatus | '')}>
          <option value="">{t('members.all')}</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`members.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {page ? (
        <>
          <p className="muted">{t('members.total', { count: page.totalCount })}</p>
          <MemberRows rows={page.edges.map((edge) => edge.node)} onOutcome={onOutcome} />
        </>
      ) : (
        !error && <Status kind="loading">{t('app.loading')}</Status>
      )}
    </section>
  );
}
