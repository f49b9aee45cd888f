import { jetstream, jetstreamManager, DeliverPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerMessages } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { PgListener } from '../../libs/database/pg-listener.js';

/**
 * How replicas tell each other that the relay published events: a wake-up only. The database
 * stays the record, gapless by position, so a lost or repeated announcement costs a read, never an
 * event: every replica reads what was published after the last position it dispatched.
 */
export abstract class EventBus {
  /** Starts listening; `published` is called on every announcement, from any replica (this one included). */
  abstract start(published: () => void): Promise<void>;
  /** Called by the relay once a batch has committed. */
  abstract announce(): Promise<void>;
  abstract stop(): Promise<void>;
}

/** The channel events_publish notifies on, at the commit of each batch it publishes. */
const CHANNEL = 'pumasi_events';

/**
 * The default: PostgreSQL's LISTEN/NOTIFY, so that the embedded database needs nothing more. The
 * relay's function notifies in its own transaction, so announce has nothing to do. One connection
 * per replica listens; when it drops, it reconnects, and the reconnection counts as an announcement
 * (what was published meanwhile is read then).
 */
export class PostgresEventBus extends EventBus {
  private readonly listener: PgListener;

  constructor(databaseUrl: string) {
    super();
    this.listener = new PgListener(databaseUrl, CHANNEL, 'pumasi-events');
  }

  start(published: () => void): Promise<void> {
    return this.listener.start({ notified: published, connected: published });
  }

  announce(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }
}

/** The JetStream stream and subject announcements go through when NATS_URL is set. */
export const NATS_STREAM = 'PUMASI_EVENTS';
const NATS_SUBJECT = 'pumasi.events.published';

/**
 * Announcements through NATS JetStream (NATS_URL): for installations whose PostgreSQL sits behind a
 * pooler that cannot LISTEN, or that already fan out through NATS. The stream is durable and small
 * (announcements carry nothing but the fact; an hour of them is kept). Each replica reads it with an
 * ordered consumer from the newest message on; the NATS client reconnects by itself.
 */
export class NatsEventBus extends EventBus {
  private connecting?: Promise<NatsConnection>;
  private messages?: ConsumerMessages;

  constructor(private readonly natsUrl: string) {
    super();
  }

  async start(published: () => void): Promise<void> {
    const connection = await this.connection();
    const consumer = await jetstream(connection).consumers.get(NATS_STREAM, { deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume();
    this.messages = messages;
    void (async () => {
      // An ordered consumer needs no acknowledgement: each message is only a wake-up.
      for await (const message of messages) if (message) published();
    })();
    published();
  }

  async announce(): Promise<void> {
    await jetstream(await this.connection()).publish(NATS_SUBJECT, '');
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    if (this.connecting) await (await this.connecting).drain();
  }

  /** Connects on first use (the relay announces whether or not anyone here subscribes), making the stream if it is missing. */
  private connection(): Promise<NatsConnection> {
    this.connecting ??= (async () => {
      const url = new URL(this.natsUrl);
      const connection = await connect({ servers: `${url.hostname}:${url.port || 4222}`, name: 'pumasi' });
      const manager = await jetstreamManager(connection);
      if ((await manager.streams.info(NATS_STREAM).catch(() => null)) === null)
        await manager.streams.add({
          name: NATS_STREAM,
          subjects: [NATS_SUBJECT],
          retention: RetentionPolicy.Limits,
          storage: StorageType.File,
          max_age: 3600 * 1e9,
        });
      return connection;
    })();
    this.connecting.catch(() => (this.connecting = undefined));
    return this.connecting;
  }
}
