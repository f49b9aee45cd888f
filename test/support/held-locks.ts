import { TestApp } from './test-app.js';

/** Polls `done` until it holds, or fails the test with `description` after `timeoutMs`. */
export async function waitUntil(description: string, done: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Row locks a test holds in a transaction of its own, so that requests queue behind them in a known order. */
export interface HeldLocks {
  /** Waits until `count` backends wait for these locks, directly or behind one another. */
  waitForWaiters(count: number): Promise<void>;
  /** Commits the test's transaction, letting the first in the queue through. Safe to call twice. */
  release(): Promise<void>;
}

/** Runs `statements` (each locking rows: FOR UPDATE, or an UPDATE) in a transaction of the test's own, and holds their locks. */
export async function holdLocks(t: TestApp, statements: [sql: string, params: unknown[]][]): Promise<HeldLocks> {
  const runner = t.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  for (const [sql, params] of statements) await runner.query(sql, params);
  const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
  let released = false;
  return {
    waitForWaiters: (count) =>
      waitUntil(`${count} requests wait for the test's locks`, async () => {
        const [{ waiting }] = await t.dataSource.query(
          `WITH RECURSIVE waiter(pid) AS (
           SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
           UNION SELECT activity.pid FROM pg_stat_activity activity JOIN waiter ON waiter.pid = ANY(pg_blocking_pids(activity.pid))
         ) SELECT count(*)::int AS waiting FROM waiter`,
          [pid],
        );
        return waiting >= count;
      }),
    async release() {
      if (released) return;
      released = true;
      try {
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    },
  };
}
