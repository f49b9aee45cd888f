import { DataSource } from 'typeorm';
import { extendChain } from '../../src/integrity/chain.repository.js';
import { waitUntil } from './held-locks.js';

/**
 * Chains every transfer committed so far, as the chainer would a second or two later: the chain
 * only takes transfers once no transaction that could still add a lower id is running.
 */
export async function chainEverything(dataSource: DataSource): Promise<void> {
  const [{ last }] = await dataSource.query<{ last: string }[]>('SELECT coalesce(max(id), 0) AS last FROM transfers');
  await waitUntil(`every transfer up to ${last} is chained`, async () => {
    await extendChain((sql, params) => dataSource.query(sql, params), 100_000);
    const [{ chained_through }] = await dataSource.query<{ chained_through: string }[]>(
      'SELECT chained_through FROM ledger_chain_horizon',
    );
    return BigInt(chained_through) >= BigInt(last);
  });
}
