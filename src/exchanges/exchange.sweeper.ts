import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { ExchangesService } from './exchanges.service.js';

/**
 * Confirms delivered exchanges past their community's delay, and lapses accepted ones whose hold
 * timed out before delivery. Every replica runs one; each takes what it locks (SKIP LOCKED).
 */
@Injectable()
export class ExchangeSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: PeriodicSweep;

  constructor(exchanges: ExchangesService) {
    this.sweeper = new PeriodicSweep(ExchangeSweeper.name, (limit) => exchanges.settleDue(limit), { everyMs: 1000, batch: 50 });
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
