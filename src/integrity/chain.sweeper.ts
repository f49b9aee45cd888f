import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ChainRepository } from './chain.repository.js';
import { CheckpointsService } from './checkpoints.service.js';

/**
 * Chains new transfers every second, off the write path, then records the checkpoints that are
 * due. Replicas take turns: `ledger_chain_extend` lets one chain at a time.
 */
@Injectable()
export class ChainSweeper extends PeriodicSweep {
  constructor(
    private readonly chain: ChainRepository,
    private readonly checkpoints: CheckpointsService,
    private readonly db: TransactionalConnection,
  ) {
    super({ everyMs: 1000, batch: 5000 });
  }

  protected async sweepBatch(limit: number): Promise<number> {
    // In a transaction, as every background job's queries are: a request's own are told apart by running outside one.
    const chained = await this.db.jobTransaction(() => this.chain.extend(limit));
    if (chained < limit) await this.checkpoints.recordDue(100);
    return chained;
  }
}
