import { jest } from '@jest/globals';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { waitUntil } from '../support/held-locks.js';
import { useTestServices } from '../support/test-services.js';
import { ChainRepository } from '../../src/integrity/chain.repository.js';
import { ChainSweeper } from '../../src/integrity/chain.sweeper.js';
import { WebhookDeliverySweeper } from '../../src/webhooks/webhook-delivery.sweeper.js';
import { WebhookFanoutSweeper } from '../../src/webhooks/webhook-fanout.sweeper.js';

/**
 * Issue 14: the jobs that tick several times a second on every replica cost a read when there is
 * nothing to do, not a transaction (a START, a SET LOCAL, a query and a COMMIT, each a round trip).
 */
describe('an idle tick', () => {
  const t = useTestServices();

  /** The statements one sweep runs, each with whether it ran inside a transaction. */
  async function statementsOf(sweeper: PeriodicSweep): Promise<{ sql: string; inTransaction: boolean }[]> {
    const spy = jest.spyOn(t.dataSource, 'query');
    try {
      expect(await sweeper.sweep()).toBe(0);
      return spy.mock.calls.map(([sql, , queryRunner]) => ({ sql, inTransaction: queryRunner !== undefined }));
    } finally {
      spy.mockRestore();
    }
  }

  it.each([
    ['the webhook worker', 1, WebhookDeliverySweeper],
    ['the webhook fan-out', 1, WebhookFanoutSweeper],
    ['the chainer (whether behind, which checkpoints are due)', 2, ChainSweeper],
  ])('of %s runs %i read(s), in no transaction', async (_name, reads, sweeper) => {
    const chain = t.app.get(ChainRepository);
    // Whatever this database was made with is chained first: then the chainer has nothing to do.
    await waitUntil('the chain caught up', async () => {
      await t.app.get(ChainSweeper).sweep();
      return !(await chain.behind());
    });
    const statements = await statementsOf(t.app.get<PeriodicSweep>(sweeper));
    expect(statements).toHaveLength(reads);
    expect(statements.filter(({ inTransaction }) => inTransaction)).toEqual([]);
  });
});
