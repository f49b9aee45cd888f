import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** What a listener tells its owner: each notification's payload, and each time it (re)connects or drops. */
export interface ListenerHandlers {
  notified(payload: string): void;
  /** Listening (again): notifications sent while it was not were lost, so whatever they would have said must be read afresh. */
  connected(): void;
  /** The connection dropped: until `connected` again, nothing is heard. */
  disconnected?(): void;
}

/**
 * One PostgreSQL connection that LISTENs on one channel, outside the pool (a pooled connection
 * would lose its LISTEN when returned). When the connection drops it reconnects every second
 * until it is stopped; its owner hears of both.
 */
export class PgListener {
  private client?: Client;
  private stopped = false;
  private readonly logger: Logger;

  /** `name` names the connection in pg_stat_activity and the logger. */
  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly name: string,
  ) {
    this.logger = new Logger(name);
  }

  /** Resolves once listening; rejects if the first connection cannot be made (nothing is retried then). */
  async start(handlers: ListenerHandlers): Promise<void> {
    this.stopped = false;
    await this.listen(handlers);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async listen(handlers: ListenerHandlers): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: this.name });
    this.client = client;
    client.on('notification', (message) => handlers.notified(message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn(`The listening connection failed; reconnecting: ${error.message}`);
      handlers.disconnected?.();
      void client.end().catch(() => undefined);
      this.reconnect(handlers);
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    handlers.connected();
  }

  private reconnect(handlers: ListenerHandlers): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (this.stopped) return;
      this.listen(handlers).catch((error: unknown) => {
        this.logger.warn(`Reconnecting the listening connection failed; retrying: ${String(error)}`);
        this.reconnect(handlers);
      });
    }, 1000).unref();
  }
}
