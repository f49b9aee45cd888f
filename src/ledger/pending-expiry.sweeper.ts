import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { LedgerService } from './ledger.service.js';

/**
 * Voids pending transfers once their timeout passes. Every replica runs one: they take disjoint
 * transfers (SKIP LOCKED), and an expiry is an idempotent write, so running twice is harmless.
 * Four times a second, so that a hold is released well within a second of its timeout: a tick with
 * nothing due is one index probe of the open holds.
 */
@Injectable()
export class PendingExpirySweeper extends PeriodicSweep {
  constructor(private readonly ledger: LedgerService) {
    super({ everyMs: 250, batch: 100 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    return this.ledger.expireDuePendingTransfers(limit);
  }
}
