import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ScrollRegion } from '../components/scroll-region';
import { OutcomeStatus, refusalOf, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import { CheckpointsDocument, RecordLedgerCheckpointsDocument } from '../graphql/generated';
import type { CheckpointsQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

type Checkpoint = CheckpointsQuery['ledgerCheckpoints']['edges'][number]['node'];

function CheckpointsTable({ checkpoints }: { checkpoints: Checkpoint[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ScrollRegion label={t('checkpoints.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('checkpoints.sequence')}</th>
            <th scope="col">{t('checkpoints.when')}</th>
            <th scope="col">{t('checkpoints.currency')}</th>
            <th scope="col" className="number">
              {t('checkpoints.position')}
            </th>
            <th scope="col">{t('checkpoints.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {checkpoints.map((checkpoint) => (
            <tr key={checkpoint.id}>
              <th scope="row">{checkpoint.sequence}</th>
              <td>{format.dateTime(checkpoint.createdAt)}</td>
              <td>{checkpoint.currency.code}</td>
              <td className="number">{checkpoint.position}</td>
              <td>
                <code className="hash">{checkpoint.checkpointHash}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * Records a checkpoint now, through what the ledger's hash chain holds so far. When nothing was
 * chained since the last one, the API answers with that last one again (`known`): then nothing new
 * was recorded, and the coordinator is told so.
 */
function RecordNow({ known, onOutcome }: { known: Checkpoint[]; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ fetching }, record] = useMutation(RecordLedgerCheckpointsDocument);

  async function run() {
    const result = await record({ input: { communityId: community.id } });
    const payload = result.data?.recordLedgerCheckpoints;
    const refusal = refusalOf(payload, result.error);
    if (refusal) return onOutcome({ kind: 'error', text: t('checkpoints.refused', { message: refusal }) });
    const recorded = (payload?.checkpoints ?? []).filter((checkpoint) => !known.some(({ id }) => id === checkpoint.id));
    onOutcome(
      recorded.length
        ? { kind: 'done', text: t('checkpoints.recorded', { sequence: recorded.map((c) => c.sequence).join(', ') }) }
        : { kind: 'done', text: t('checkpoints.nothingNew') },
    );
  }

  return (
    <button type="button" onClick={() => void run()} disabled={fetching}>
      {t('checkpoints.record')}
    </button>
  );
}

/** The checkpoints of the community's currency, newest first: each hash vouches for the ledger up to its position; recording one now. */
export function CheckpointsPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data, error }, refresh] = useQuery({ query: CheckpointsDocument, variables: { communityId: community.id } });
  const [outcome, onOutcome] = useOutcome(refresh);
  const checkpoints = data?.ledgerCheckpoints.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('checkpoints.title')}</h1>
      <p>{t('checkpoints.about')}</p>
      <p>
        <RecordNow known={checkpoints ?? []} onOutcome={onOutcome} />
      </p>
      <OutcomeStatus outcome={outcome} />
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!checkpoints && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {checkpoints?.length === 0 && <p>{t('checkpoints.empty')}</p>}
      {checkpoints && checkpoints.length > 0 && <CheckpointsTable checkpoints={checkpoints} />}
    </section>
  );
}
