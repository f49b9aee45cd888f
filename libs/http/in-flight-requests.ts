import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { answerUnavailable } from './unavailable-response.js';

/**
 * Counts the requests being answered, so that a stopping server lets them finish (a CSV download
 * may take minutes) while it refuses new ones: 503 SERVICE_UNAVAILABLE with Retry-After, so that a
 * client or a load balancer goes to another replica.
 */
export class InFlightRequests {
  private count = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  readonly middleware: RequestHandler = (_request, response, next) => {
    if (this.draining) {
      response.set('connection', 'close');
      return answerUnavailable(response, 'The server is shutting down; retry, another replica will answer');
    }
    this.count++;
    response.once('close', () => {
      if (--this.count === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    });
    next();
  };

  get inFlight(): number {
    return this.count;
  }

  /**
   * Refuses new requests and connections, then waits until the requests in flight are answered or
   * `graceMs` has passed; true when they all finished in time.
   */
  async drain(server: Server, graceMs: number): Promise<boolean> {
    this.draining = true;
    // Stops accepting connections and closes the idle keep-alive ones; busy ones finish their answer.
    server.close();
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = new Promise<boolean>((done) => this.idleWaiters.push(() => done(true)));
    const expired = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), graceMs)));
    try {
      return await Promise.race([finished, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
