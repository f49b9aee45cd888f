import type { PublishedEvent } from './events.repository.js';

/** Events a stream holds for a subscriber that reads slower than they come; past it, it reads from the database instead. */
const MAX_QUEUED = 1000;
/** Events read from the database at a time while a stream catches up. */
const REPLAY_PAGE = 200;

/** Where a stream reads what it missed, and how it leaves its hub. */
export interface StreamSource {
  /** Published events after `position` that the subscriber may see, in position order, at most `limit`. */
  readAfter(position: bigint, limit: number): Promise<PublishedEvent[]>;
  /** Whether a live event is for this subscriber (its visibility and its filter). */
  accepts(event: PublishedEvent): boolean;
  /** Set when every event the stream accepts has this key (`eventKeys`): the hub offers it no others. */
  key?: string;
  leave(): void;
}

/**
 * One subscription's events, in position order, each once, from `after` on: first what it missed
 * (read from the database), then live ones as the hub offers them. The switch cannot lose one: the
 * stream starts queueing live events before its last read, and a read sees every position published
 * before it (they are gapless and committed in order), so an event is in the read, in the queue, or
 * both; the position cursor drops the second copy. A subscriber too slow for MAX_QUEUED live events
 * goes back to reading from the database, so a slow socket costs reads, never memory or events.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  private cursor: bigint;
  private catchingUp = true;
  private queue: PublishedEvent[] = [];
  private wake?: () => void;
  private ended = false;

  constructor(
    private readonly source: StreamSource,
    after: bigint,
    private readonly present: (event: PublishedEvent) => Promise<T>,
  ) {
    this.cursor = after;
  }

  /** The hub's live events; ignored while catching up (the next read finds them), or when not for this subscriber. */
  offer(event: PublishedEvent): void {
    if (this.ended || this.catchingUp || !this.source.accepts(event)) return;
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED) {
      this.queue = [];
      this.catchingUp = true;
    }
    this.wake?.();
  }

  /** Any failure (a read, or the subscriber losing the right to see an event) ends the stream, and the error goes to them. */
  async next(): Promise<IteratorResult<T>> {
    try {
      return await this.advance();
    } catch (error) {
      await this.return();
      throw error;
    }
  }

  private async advance(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      const event = this.queue.shift();
      if (event) {
        const position = BigInt(event.position);
        if (position <= this.cursor) continue;
        this.cursor = position;
        if (!this.source.accepts(event)) continue;
        return { done: false, value: await this.present(event) };
      }
      if (this.catchingUp) await this.catchUp();
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Reads the next page of what was missed, queueing live events from now on unless more pages remain. */
  private async catchUp(): Promise<void> {
    this.catchingUp = false;
    const missed = await this.source.readAfter(this.cursor, REPLAY_PAGE);
    if (missed.length === REPLAY_PAGE) {
      this.catchingUp = true;
      this.queue = missed;
    } else {
      this.queue = [...missed, ...this.queue];
    }
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true;
      this.queue = [];
      this.source.leave();
      this.wake?.();
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
