import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitUntil } from './held-locks.js';

/** How a socket closed: its code and reason, as the client saw them. */
export interface Closed {
  code: number;
  reason: string;
}

/** A real graphql-ws client on the test server's /graphql, with connection_init's payload as given; it never retries. */
export interface SubscriptionSocket {
  client: Client;
  /** Settles when the socket closes, with its code and reason. */
  closed: Promise<Closed>;
  /** Settles when the server acknowledged connection_init. */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

export function openSocket(httpUrl: string, params: Record<string, unknown> | null): SubscriptionSocket {
  let onClosed!: (closed: Closed) => void;
  let onConnected!: () => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: params ?? undefined,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed, connected, dispose: () => client.dispose() as Promise<void> };
}

/** What one subscription received: its results in order, its errors, and whether it completed. */
export class Received<T = Record<string, any>> {
  readonly data: T[] = [];
  readonly errors: { message: string; extensions?: Record<string, any> }[] = [];
  completed = false;
  private readonly unsubscribe: () => void;

  constructor(socket: SubscriptionSocket, query: string, variables: Record<string, unknown> = {}) {
    this.unsubscribe = socket.client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...(result.errors as Received['errors']));
          if (result.data) this.data.push(result.data);
        },
        error: (error) => {
          if (Array.isArray(error)) this.errors.push(...(error as Received['errors']));
          else this.errors.push({ message: String((error as { reason?: string }).reason ?? error) });
        },
        complete: () => (this.completed = true),
      },
    );
  }

  /** Waits until `count` results have arrived (or fails the test). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<T[]> {
    await waitUntil(
      `${count} results arrived (have ${this.data.length})`,
      () => Promise.resolve(this.data.length >= count),
      timeoutMs,
    );
    return this.data;
  }

  /** Waits until the subscription failed or completed. */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    await waitUntil(
      'the subscription ended',
      () => Promise.resolve(this.completed || this.errors.length > 0),
      timeoutMs,
    );
  }

  stop(): void {
    this.unsubscribe();
  }
}
