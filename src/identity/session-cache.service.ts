import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../libs/config/app-config.js';
import { PgListener } from '../../libs/database/pg-listener.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Metrics } from '../../libs/observability/metrics.js';
import type { Standing } from '../access/actor.js';

/**
 * The channel the credentials triggers notify on, with the member's id, when a change to that
 * member's sessions, memberships or admin right commits (migration 1764430000000).
 */
const CHANNEL = 'pumasi_credentials';
/** Sessions kept at most; past this, the oldest kept is forgotten first. */
const MAX_SESSIONS = 10_000;
/** After the listener could not connect, the cache stays off this long before it tries again. */
const RETRY_LISTENING_MS = 5000;

/** An access token's session, as authentication needs it. */
export interface LiveSession {
  sessionId: string;
  memberId: string;
  isAdmin: boolean;
  standings: Standing[];
  /** When its access token expires. */
  accessExpiresAt: Date;
}

interface Kept {
  session: LiveSession;
  until: number;
}

/**
 * Access tokens' live sessions, kept for CREDENTIALS_CACHE_MS (a minute by default) so that a request
 * authenticates without a round trip to the database: the round trip was half of a payment's.
 * Not a few seconds: a member's requests are often more than that apart (in the benchmark, 10,000
 * members paying at random found their session kept for 3% of requests at 5 s).
 *
 * Staleness is bounded by what revokes or changes credentials, not by the time alone:
 * - every replica LISTENs for the credentials triggers' notifications, sent when a change to a
 *   member's sessions, memberships or admin right commits, whoever made it, and forgets that
 *   member's sessions then;
 * - on this replica, the repositories that make those changes forget them as their transaction
 *   commits (`forgetMember`), before the answer leaves, so the next request reads them afresh;
 * - a read that raced such a change is not kept (the generation moved on meanwhile);
 * - nothing is kept while the listener is not connected, and all is forgotten when it reconnects.
 * A session is never kept past its access token's expiry. Unknown tokens are never kept.
 */
@Injectable()
export class SessionCache implements OnModuleDestroy {
  private readonly sessions = new Map<string, Kept>();
  private readonly ttlMs: number;
  private readonly listener?: PgListener;
  private listening = false;
  private starting?: Promise<void>;
  private retryAt = 0;
  /** Moves on with every change heard: a read begun before it is not kept. */
  private generation = 0;
  private readonly count: (result: string) => void;
  private readonly logger = new Logger('SessionCache');

  constructor(
    config: AppConfig,
    private readonly db: TransactionalConnection,
    metrics: Metrics,
  ) {
    this.ttlMs = config.credentialsCacheMs;
    if (this.ttlMs > 0 && config.databaseUrl)
      this.listener = new PgListener(config.databaseUrl, CHANNEL, 'pumasi-credentials');
    this.count = metrics.labelledCounter(
      'pumasi_session_cache_total',
      'Access tokens authenticated, by whether their session came from the cache (hit) or the database (miss)',
      'result',
    );
  }

  /** The live session of the access token whose hash this is: kept, or read by `read` (and then kept). */
  async session(tokenHash: string, read: () => Promise<LiveSession | null>): Promise<LiveSession | null> {
    const kept = this.sessions.get(tokenHash);
    if (kept && kept.until > Date.now()) {
      this.count('hit');
      return kept.session;
    }
    if (kept) this.sessions.delete(tokenHash);
    this.count('miss');
    this.listen();
    const generation = this.generation;
    const session = await read();
    if (session && this.listening && generation === this.generation) this.keep(tokenHash, session);
    return session;
  }

  /**
   * Forgets the member's sessions once the current transaction commits (at once outside one): for
   * the repositories that change them, so that this replica's next request reads them afresh
   * without waiting for the notification.
   */
  forgetMember(memberId: string): void {
    this.db.afterCommit(() => this.forget(memberId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  private keep(tokenHash: string, session: LiveSession): void {
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(tokenHash, {
      session,
      until: Math.min(Date.now() + this.ttlMs, session.accessExpiresAt.getTime()),
    });
  }

  private forget(memberId: string): void {
    this.generation++;
    for (const [tokenHash, kept] of this.sessions)
      if (kept.session.memberId === memberId) this.sessions.delete(tokenHash);
  }

  private forgetAll(): void {
    this.generation++;
    this.sessions.clear();
  }

  /** Starts the listener with the first request; until it listens, nothing is kept. */
  private listen(): void {
    if (!this.listener || this.starting || Date.now() < this.retryAt) return;
    this.starting = this.listener
      .start({
        notified: (memberId) => (/^\d+$/.test(memberId) ? this.forget(memberId) : this.forgetAll()),
        connected: () => {
          this.forgetAll();
          this.listening = true;
        },
        disconnected: () => {
          this.listening = false;
          this.forgetAll();
        },
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `Cannot listen for credential changes; sessions are read every time for now: ${String(error)}`,
        );
        this.retryAt = Date.now() + RETRY_LISTENING_MS;
        this.starting = undefined;
      });
  }
}
