import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { textField } from '../components/form-field';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import {
  CloseVerificationAlertDocument,
  CommunityActivityDocument,
  VerificationRunsDocument,
  VerifyLedgerDocument,
} from '../graphql/generated';
import type { VerificationRunRowFragment } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useLiveQuery } from '../live/live-query';
import { useCoordinatedCommunity } from '../session/viewer';

/** A failed run is the one event that changes this screen without the coordinator's own action. */
const LIVE_TYPES = ['verification.failed'];

/** Runs the ledger's check now; the run's result is what the coordinator is told. */
function RunNow({ onOutcome }: { onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ fetching }, verify] = useMutation(VerifyLedgerDocument);

  async function run() {
    const result = await verify({ input: { communityId: community.id } });
    const payload = result.data?.verifyLedger;
    const refusal = payload?.userErrors[0]?.message ?? result.error?.message;
    if (refusal || !payload?.run)
      return onOutcome({ kind: 'error', text: t('verification.refused', { message: refusal }) });
    onOutcome(
      payload.run.passed
        ? { kind: 'done', text: t('verification.passedNow') }
        : { kind: 'error', text: t('verification.failedNow') },
    );
  }

  return (
    <button type="button" onClick={() => void run()} disabled={fetching}>
      {fetching ? t('verification.busy') : t('verification.run')}
    </button>
  );
}

/** What a failed run found: each check that failed, with the rows that break it (up to 10, as the API gives them). */
function FailedChecks({ run }: { run: VerificationRunRowFragment }) {
  const { t } = useTranslation();
  return (
    <ul className="checks">
      {run.checks
        .filter((check) => !check.passed)
        .map((check) => (
          <li key={check.name}>
            <strong>{check.name}</strong>
            <p className="muted">{t('verification.offending', { count: check.offendingRows.length })}</p>
            <pre>{check.offendingRows.map((row) => JSON.stringify(row)).join('\n')}</pre>
          </li>
        ))}
    </ul>
  );
}

/** An open alert, closed with a note of what was done about it (for the audit log). */
function AlertCard({ run, onOutcome }: { run: VerificationRunRowFragment; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [{ fetching }, close] = useMutation(CloseVerificationAlertDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = textField(new FormData(event.currentTarget), 'note');
    const result = await close({ input: { runId: run.id, note } });
    const refusal = result.data?.closeVerificationAlert.userErrors[0]?.message ?? result.error?.message;
    onOutcome(
      refusal
        ? { kind: 'error', text: t('verification.refused', { message: refusal }) }
        : { kind: 'done', text: t('verification.closed') },
    );
  }

  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('verification.alertOf', { when: format.dateTime(run.finishedAt) })}</h3>
      <FailedChecks run={run} />
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('verification.note')}
          <input name="note" required minLength={1} maxLength={1000} />
        </label>
        <button type="submit" disabled={fetching}>
          {fetching ? t('verification.busy') : t('verification.close')}
        </button>
      </form>
    </article>
  );
}

/** How many of a run's checks passed; for a failed run, the failed ones opened on demand. */
function ChecksSummary({ run }: { run: VerificationRunRowFragment }) {
  const { t } = useTranslation();
  const passed = run.checks.filter((check) => check.passed).length;
  const summary = t('verification.checksPassed', { passed, count: run.checks.length });
  if (run.passed) return summary;
  return (
    <details>
      <summary>{summary}</summary>
      <FailedChecks run={run} />
    </details>
  );
}

function RunsTable({ runs }: { runs: VerificationRunRowFragment[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ScrollRegion label={t('verification.runs')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('verification.when')}</th>
            <th scope="col">{t('verification.result')}</th>
            <th scope="col">{t('verification.trigger')}</th>
            <th scope="col">{t('verification.checks')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <th scope="row">{format.dateTime(run.finishedAt)}</th>
              <td>{run.passed ? t('verification.passed') : t('verification.failed')}</td>
              <td>{t(`verification.${run.trigger}`)}</td>
              <td>
                <ChecksSummary run={run} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The ledger's verification runs, newest first, the open alerts above them; a run on demand; closing an alert. */
export function VerificationPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data, error }, refresh] = useLiveQuery(
    { query: VerificationRunsDocument, variables: { communityId: community.id } },
    { query: CommunityActivityDocument, variables: { communityId: community.id, types: LIVE_TYPES } },
  );
  const [outcome, onOutcome] = useOutcome(refresh);
  const alerts = data?.openAlerts.edges.map((edge) => edge.node);
  const runs = data?.runs.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('verification.title')}</h1>
      <p>
        <RunNow onOutcome={onOutcome} />
      </p>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!runs && !error && <Status kind="loading">{t('app.loading')}</Status>}
      <h2>{t('verification.alerts')}</h2>
      {alerts?.length === 0 && <p>{t('verification.noAlerts')}</p>}
      {alerts?.map((run) => (
        <AlertCard key={run.id} run={run} onOutcome={onOutcome} />
      ))}
      <h2>{t('verification.runs')}</h2>
      {runs?.length === 0 && <p>{t('verification.noRuns')}</p>}
      {runs && runs.length > 0 && <RunsTable runs={runs} />}
    </section>
  );
}
