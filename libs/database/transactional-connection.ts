import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { isRetryable } from './pg-errors.js';

const MAX_ATTEMPTS = 8;

/** The transaction a piece of work runs in, and what waits for it to commit. */
interface Transaction {
  manager: EntityManager;
  committed: (() => void)[];
}

/**
 * Carries the current transaction on an async context, so repositories never take a QueryRunner
 * argument (Vendure's TransactionalConnection). Outside a transaction, `manager` is the pool's.
 */
@Injectable()
export class TransactionalConnection {
  private readonly current = new AsyncLocalStorage<Transaction>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** statement_timeout for long work that is no request's (JOB_STATEMENT_TIMEOUT_MS); the pool's is meant for requests. */
  get jobStatementTimeoutMs(): number {
    return this.config.resilience.jobStatementTimeoutMs;
  }

  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** For writes that must commit with the caller's work (docs/architecture.md, "Transactions"). */
  requireTransaction(what: string): void {
    if (!this.inTransaction) throw new Error(`${what} must run inside the transaction of the work it belongs to`);
  }

  /** For writes that take their own transaction, which must not silently join a caller's. */
  requireNoTransaction(what: string): void {
    if (this.inTransaction) throw new Error(`${what} runs in a transaction of its own, not inside a caller's`);
  }

  /** Runs `work` outside any transaction of the caller, on the pool. */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.current.exit(work);
  }

  get manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  /**
   * Runs `work` in one READ COMMITTED transaction, retrying the whole of it on deadlock or
   * serialization failure. `work` must therefore be idempotent. Nested calls join the outer one.
   * READ COMMITTED is every pooled connection's default (data-source.ts): naming the level here
   * would cost a SET TRANSACTION round trip on every transaction.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    return withRetry(async () => {
      const committed: (() => void)[] = [];
      const result = await this.dataSource.transaction((manager) => this.current.run({ manager, committed }, work));
      for (const callback of committed) callback();
      return result;
    });
  }

  /**
   * Runs `callback` once the current transaction commits, or at once outside one; never if it rolls
   * back. For what may only follow a durable write: forgetting cached credentials the write changed.
   */
  afterCommit(callback: () => void): void {
    const transaction = this.current.getStore();
    if (transaction) transaction.committed.push(callback);
    else callback();
  }

  /**
   * Runs `work` inside the current transaction under a savepoint: if it throws, what it wrote is
   * undone and the error goes on, while the transaction (and the row locks it holds) carries on.
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    this.requireTransaction('A savepoint');
    await this.manager.query('SAVEPOINT pumasi_attempt');
    try {
      const result = await work();
      await this.manager.query('RELEASE SAVEPOINT pumasi_attempt');
      return result;
    } catch (error) {
      await this.manager.query('ROLLBACK TO SAVEPOINT pumasi_attempt');
      throw error;
    }
  }

  /** A transaction for a background job: its statements run under the job timeout, not the request one. */
  jobTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction(async () => {
      await this.manager.query(localStatementTimeout(this.jobStatementTimeoutMs));
      return work();
    });
  }
}

/**
 * Lifts the pool's statement timeout, meant for requests, to `ms` for the rest of the current
 * transaction (0: none): for the long work of jobs, verification and downloads. It ends with the
 * transaction, so the connection goes back to the pool with the request limit.
 */
export const localStatementTimeout = (ms: number): string => `SET LOCAL statement_timeout = ${Math.trunc(ms)}`;

/** Retries `work` with jittered backoff while it fails with a retryable database error. */
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((done) => setTimeout(done, Math.random() * 5 * 2 ** attempt));
    }
  }
}
