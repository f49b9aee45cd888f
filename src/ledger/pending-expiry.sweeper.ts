import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { LedgerService } from './ledger.service.js';

/**
 * Voids pending transfers once their timeout passes. Every replica runs one: they take disjoint
 * transfers (SKIP LOCKED), and an expiry is an idempotent write, so running twice is harmless.
 */
@Injectable()
export class PendingExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: PeriodicSweep;

  constructor(ledger: LedgerService) {
    this.sweeper = new PeriodicSweep(PendingExpirySweeper.name, (limit) => ledger.expireDuePendingTransfers(limit), { everyMs: 1000, batch: 100 });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Drains everything due now; tests call it to settle what they made due. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}
