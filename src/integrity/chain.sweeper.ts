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

  /** An idle tick reads whether the chain is behind and which checkpoints are due, and opens no transaction. */
  protected async sweepBatch(limit: number): Promise<number> {
    const chained = (await this.chain.behind()) ? await this.db.jobTransaction(() => this.chain.extend(limit)) : 0;
    if (chained < limit) await this.checkpoints.recordDue(100);
    return chained;
  }
}
