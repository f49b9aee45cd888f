import { once } from 'node:events';
import net from 'node:net';
import { preparedStatements } from '../../libs/database/prepared-statements.js';

/** Which way a chunk travels: from the application to PostgreSQL, or back. */
export type Direction = 'toServer' | 'toClient';

interface Link {
  client: net.Socket;
  server: net.Socket;
}

interface Trap {
  direction: Direction;
  pattern: RegExp;
  /** Whether the matching chunk itself still gets through (the statement runs, its answer is lost). */
  forwardMatch: boolean;
  sprung: () => void;
}

/**
 * The statements matching `text` as they cross the wire: by their text, and a prepared one also by
 * its name, which is all that a connection sends of it once it has prepared it (a NUL ends it).
 */
export function statementOnTheWire(text: RegExp): RegExp {
  const names = [...preparedStatements()].filter(([statement]) => text.test(statement)).map(([, name]) => `${name}\0`);
  return new RegExp([text.source, ...names].join('|'));
}

/**
 * A TCP proxy between the application and PostgreSQL, for real faults in tests: `stall()` stops
 * forwarding (what is sent waits, as with a paused server; new connections are held unanswered),
 * `cut()` destroys every connection and refuses new ones (a server that died), `resume()` forwards
 * again, what was held included. `stallOn` stalls at a chosen statement, so that a test can fail
 * exactly the step it means to.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private held: { to: net.Socket; chunk: Buffer }[] = [];
  private stalled = false;
  private refusing = false;
  private trap?: Trap;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client: net.Socket) => proxy.accept(client, target));
    return proxy;
  }

  /** Stops forwarding in both directions. */
  stall(): void {
    this.stalled = true;
  }

  /**
   * Stalls when a chunk travelling `direction` matches `pattern` (a statement's text, say); the
   * chunk is held too unless `forwardMatch`. Resolves once it has happened.
   */
  stallOn(direction: Direction, pattern: RegExp, { forwardMatch = false } = {}): Promise<void> {
    return new Promise((sprung) => (this.trap = { direction, pattern, forwardMatch, sprung }));
  }

  /** Destroys every connection, and refuses new ones until `resume()`: what a server that died looks like. */
  cut(): void {
    this.refusing = true;
    this.held = [];
    for (const { client, server } of this.links) {
      client.destroy();
      server.destroy();
    }
    this.links.clear();
  }

  /** Forwards again, delivering what was held first, in order. */
  resume(): void {
    this.refusing = false;
    this.stalled = false;
    this.trap = undefined;
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((done) => this.server.close(done));
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const link = { client, server: net.connect(target.port, target.host) };
    this.links.add(link);
    this.forward(link.client, link.server, 'toServer');
    this.forward(link.server, link.client, 'toClient');
    const drop = (): void => {
      link.client.destroy();
      link.server.destroy();
      this.links.delete(link);
    };
    for (const socket of [link.client, link.server]) socket.on('error', drop).on('close', drop);
  }

  private forward(from: net.Socket, to: net.Socket, direction: Direction): void {
    from.on('data', (chunk: Buffer) => {
      const trap = this.trap;
      if (!this.stalled && trap?.direction === direction && trap.pattern.test(chunk.toString('latin1'))) {
        this.trap = undefined;
        this.stalled = true;
        if (trap.forwardMatch) to.write(chunk);
        else this.held.push({ to, chunk });
        trap.sprung();
        return;
      }
      if (this.stalled) this.held.push({ to, chunk });
      else to.write(chunk);
    });
  }
}
