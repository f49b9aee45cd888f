import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { ExchangesService } from './exchanges.service.js';

/**
 * Confirms delivered exchanges past their community's delay, and lapses accepted ones whose hold
 * timed out before delivery. Every replica runs one; each takes what it locks (SKIP LOCKED).
 */
@Injectable()
export class ExchangeSweeper extends PeriodicSweep {
  constructor(private readonly exchanges: ExchangesService) {
    super({ everyMs: 1000, batch: 50 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    return this.exchanges.settleDue(limit);
  }
}
