import { isUnavailable } from './pg-errors.js';

/**
 * Group commit: requests that arrive while earlier ones are being written are gathered and written
 * together, in one database call and one commit. At low load a request goes alone at once; under
 * load the groups grow, so the commit cost (the fsync) and the locks of a hot account are paid
 * once per group instead of once per request.
 *
 * `write` must give each item the outcome it would have had alone, in order. If a group fails as
 * a whole, its items are retried one by one, so that one bad item cannot fail its neighbours;
 * unless the database is unavailable (or timed out): then every item fails at once, rolled back
 * whole, rather than waiting out the same timeout once more each.
 */
export class GroupCommit<Item, Outcome> {
  private queue: { item: Item; done: (outcome: Outcome) => void; fail: (error: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: Item[]) => Promise<Outcome[]>,
    private readonly options: { maxGroup: number; maxInFlight: number },
  ) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise((done, fail) => {
      this.queue.push({ item, done, fail });
      this.flushIfIdle();
    });
  }

  private flushIfIdle(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.options.maxGroup);
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        this.flushIfIdle();
      });
    }
  }

  private async flush(group: typeof this.queue): Promise<void> {
    try {
      const outcomes = await this.write(group.map((entry) => entry.item));
      group.forEach((entry, index) => entry.done(outcomes[index]));
    } catch (error) {
      if (group.length === 1 || isUnavailable(error)) return group.forEach((entry) => entry.fail(error));
      await Promise.all(group.map((entry) => this.flush([entry])));
    }
  }
}
