import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { ScrollRegion } from '../components/scroll-region';
import { Status } from '../components/status';
import { CheckpointsDocument } from '../graphql/generated';
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

/** The checkpoints of the community's currency, newest first: each hash vouches for the ledger up to its position. */
export function CheckpointsPage() {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [{ data, error }] = useQuery({ query: CheckpointsDocument, variables: { communityId: community.id } });
  const checkpoints = data?.ledgerCheckpoints.edges.map((edge) => edge.node);
  return (
    <section>
      <h1>{t('checkpoints.title')}</h1>
      <p>{t('checkpoints.about')}</p>
      {error && <Status kind="error">{t('app.error', { message: error.message })}</Status>}
      {!checkpoints && !error && <Status kind="loading">{t('app.loading')}</Status>}
      {checkpoints?.length === 0 && <p>{t('checkpoints.empty')}</p>}
      {checkpoints && checkpoints.length > 0 && <CheckpointsTable checkpoints={checkpoints} />}
    </section>
  );
}
