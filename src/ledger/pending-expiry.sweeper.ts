import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LedgerService } from './ledger.service.js';

const SWEEP_EVERY_MS = 1000;
const BATCH = 100;

/**
 * Voids pending transfers once their timeout passes. Every replica runs one: they take disjoint
 * transfers (SKIP LOCKED), and an expiry is an idempotent write, so running twice is harmless.
 */
@Injectable()
export class PendingExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PendingExpirySweeper.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly ledger: LedgerService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepUnlessBusy(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Before the database closes: stop the timer and let a sweep in flight finish. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private sweepUnlessBusy(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`Expiring pending transfers failed; retrying next tick: ${String(error)}`))
      .finally(() => (this.sweeping = undefined));
  }

  /** Drains everything due, a batch per transaction. */
  async sweep(): Promise<number> {
    let expired = 0;
    for (let swept = BATCH; swept === BATCH; expired += swept) swept = await this.ledger.expireDuePendingTransfers(BATCH);
    return expired;
  }
}
