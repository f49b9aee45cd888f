import { Logger } from '@nestjs/common';

/**
 * A background job that every replica runs: each tick drains what is due, a batch per call, and a
 * tick never overlaps the previous one. The work must be safe to run in several replicas at once
 * (lock what you take, SKIP LOCKED) and idempotent.
 */
export class PeriodicSweep {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly name: string,
    /** Handles up to `limit` due items, returning how many it handled. */
    private readonly sweepBatch: (limit: number) => Promise<number>,
    private readonly options: { everyMs: number; batch: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweepUnlessBusy(), this.options.everyMs);
    this.timer.unref();
  }

  /** Before the database closes: stop the timer and let a sweep in flight finish. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Drains everything due now, a batch at a time; returns how many items were handled. */
  async sweep(): Promise<number> {
    let handled = 0;
    for (let swept = this.options.batch; swept === this.options.batch; handled += swept) swept = await this.sweepBatch(this.options.batch);
    return handled;
  }

  private sweepUnlessBusy(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => new Logger(this.name).warn(`Sweep failed; retrying next tick: ${String(error)}`))
      .finally(() => (this.sweeping = undefined));
  }
}
