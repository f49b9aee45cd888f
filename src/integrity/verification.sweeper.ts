import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { VerificationService } from './verification.service.js';

/** Checks each community's ledger on a schedule; every replica runs one, and they take different communities. */
@Injectable()
export class VerificationSweeper extends PeriodicSweep {
  constructor(private readonly verification: VerificationService) {
    // Every ten minutes: a community is first checked within ten minutes of its creation, then hourly.
    super({ everyMs: 10 * 60_000, batch: 10 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    return this.verification.runScheduled(limit);
  }
}
