import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { LedgerService } from './ledger.service.js';

/**
 * Voids pending transfers once their timeout passes. Every replica runs one: they take disjoint
 * transfers (SKIP LOCKED), and an expiry is an idempotent write, so running twice is harmless.
 */
@Injectable()
export class PendingExpirySweeper extends PeriodicSweep {
  constructor(private readonly ledger: LedgerService) {
    super({ everyMs: 1000, batch: 100 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    return this.ledger.expireDuePendingTransfers(limit);
  }
}
