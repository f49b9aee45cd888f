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
  /** The conflict keys of the groups in flight, with how many of them hold each. */
  private readonly busy = new Map<string, number>();

  /**
   * `conflictKeys`: what an item locks in the database (its accounts, say). While a group is in
   * flight, an item sharing a key with it is held back (see nextGroup).
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<Outcome[]>,
    private readonly options: {
      maxGroup: number;
      maxInFlight: number;
      conflictKeys?: (item: Item) => readonly string[];
    },
  ) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise((done, fail) => {
      this.queue.push({ item, done, fail });
      this.flushIfIdle();
    });
  }

  private flushIfIdle(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.nextGroup();
      if (group.length === 0) return;
      const keys = group.flatMap((entry) => this.options.conflictKeys?.(entry.item) ?? []);
      for (const key of keys) this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        for (const key of keys) {
          const holders = this.busy.get(key)! - 1;
          if (holders === 0) this.busy.delete(key);
          else this.busy.set(key, holders);
        }
        this.flushIfIdle();
      });
    }
  }

  /**
   * The queue's first maxGroup items; but while groups are in flight, not those that share a
   * conflict key with them. In the database such an item would only wait for their locks, holding
   * up its own group's other items meanwhile; here it waits for them in the queue, and leaves with
   * what gathers meanwhile, in one larger group: under contention (a small community, a hot
   * account), groups grow instead of queueing behind each other's locks.
   */
  private nextGroup(): typeof this.queue {
    const { conflictKeys, maxGroup } = this.options;
    if (!conflictKeys || this.busy.size === 0) return this.queue.splice(0, maxGroup);
    const group: typeof this.queue = [];
    const held: typeof this.queue = [];
    for (const entry of this.queue) {
      const free = group.length < maxGroup && conflictKeys(entry.item).every((key) => !this.busy.has(key));
      (free ? group : held).push(entry);
    }
    this.queue = held;
    return group;
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
