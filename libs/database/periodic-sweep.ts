import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * A background job that every replica runs: each tick drains what is due, a batch per call, and a
 * tick never overlaps the previous one. The work must be safe to run in several replicas at once
 * (lock what you take, SKIP LOCKED) and idempotent. It starts with the application (unless
 * BACKGROUND_JOBS=off) and stops before the database closes, letting a sweep in flight finish.
 */
export abstract class PeriodicSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private nudged?: NodeJS.Timeout;
  private sweepAfterThis = false;
  // A property, not a constructor parameter, so that the sweepers' constructors need not pass it on.
  @Inject(AppConfig) private readonly config: AppConfig;

  /** `soonMs`: how long a nudge waits, so that the nudges of many commits share one sweep. */
  protected constructor(private readonly options: { everyMs: number; batch: number; soonMs?: number }) {}

  /** Handles up to `limit` due items, returning how many it handled. */
  protected abstract sweepBatch(limit: number): Promise<number>;

  onApplicationBootstrap(): void {
    if (!this.config.backgroundJobs) return;
    this.timer = setInterval(() => this.sweepUnlessBusy(), this.options.everyMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.nudged);
    this.timer = undefined;
    await this.sweeping;
  }

  /**
   * Sweeps within `soonMs` rather than at the next tick, for work this replica has just made due;
   * after the sweep in flight, if there is one. Nudges coalesce: however many commits nudge, sweeps
   * start at least `soonMs` apart. Nothing while the jobs are off (tests sweep when they mean to).
   */
  nudge(): void {
    if (!this.timer || this.nudged) return;
    this.nudged = setTimeout(() => {
      this.nudged = undefined;
      if (this.sweeping) this.sweepAfterThis = true;
      else this.sweepUnlessBusy();
    }, this.options.soonMs ?? this.options.everyMs);
    this.nudged.unref();
  }

  /** Drains everything due now, a batch at a time; returns how many items were handled. Tests call it too. */
  async sweep(): Promise<number> {
    let handled = 0;
    for (let swept = this.options.batch; swept === this.options.batch; handled += swept)
      swept = await this.sweepBatch(this.options.batch);
    return handled;
  }

  private sweepUnlessBusy(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) =>
        new Logger(this.constructor.name).warn(`Sweep failed; retrying next tick: ${String(error)}`),
      )
      .finally(() => {
        this.sweeping = undefined;
        if (this.sweepAfterThis) {
          this.sweepAfterThis = false;
          this.nudge();
        }
      });
  }
}
