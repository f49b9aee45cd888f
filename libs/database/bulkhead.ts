import { AsyncLocalStorage } from 'node:async_hooks';
import { Unavailable } from './pg-errors.js';

export interface BulkheadLimits {
  /** How many may run at once. */
  concurrency: number;
  /** How many may wait for a turn; more are refused at once. */
  queue: number;
  /** How long one may wait for a turn before it is refused; 0: as long as it takes. */
  waitMs: number;
}

interface Waiter {
  admit(): void;
}

/**
 * A lane of limited width for one kind of work, so that a flood of it cannot take every connection
 * of the pool and leave the rest of the service (payments) waiting behind it. What cannot run at
 * once waits in a bounded queue; beyond the bound, or after waiting too long, it is refused with
 * `Unavailable` (SERVICE_UNAVAILABLE for the client). Work started inside the lane that asks for it
 * again joins its own turn, so that nesting never waits on itself.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private readonly inside = new AsyncLocalStorage<true>();

  constructor(
    private readonly limits: BulkheadLimits,
    private readonly refusal = 'Too much of this work is running at once; retry shortly',
  ) {}

  /** Running now, and waiting for a turn. */
  get load(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return work();
    await this.turn();
    try {
      return await this.inside.run(true, work);
    } finally {
      this.leave();
    }
  }

  private turn(): Promise<void> {
    if (this.active < this.limits.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue) return Promise.reject(new Unavailable(this.refusal));
    return new Promise((admitted, refused) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          admitted();
        },
      };
      if (this.limits.waitMs > 0)
        timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          refused(new Unavailable(this.refusal));
        }, this.limits.waitMs);
      this.waiting.push(waiter);
    });
  }

  /** The turn passes straight to the next in line, if any, so that the count of those running never dips. */
  private leave(): void {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.active--;
  }
}

/**
 * The lane of heavy reads (reports, statements, statistics, risk signals): a few connections at
 * most, so that payments keep the rest of the pool however many reports are asked at once.
 */
export class HeavyReads extends Bulkhead {}
