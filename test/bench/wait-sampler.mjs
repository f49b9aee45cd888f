// Where the database's sessions wait during a workload (bench.mjs --waits): pg_stat_activity sampled
// every SAMPLE_EVERY_MS, each active session counted by what it runs (the ledger function its statement
// calls) and what it waits for, and for a lock, by what its first blocker runs. For finding a
// bottleneck, not for timing: each sample costs the database a little, so measured runs go without.
import pg from 'pg';

const SAMPLE_EVERY_MS = 50;

/** The function a statement calls (`SELECT * FROM ledger_create_transfers(...)`), or its first words. */
const SESSION_WORK = `coalesce(substring(%s from '(ledger_[a-z_]+|events_[a-z_]+)'), left(regexp_replace(%s, '\\s+', ' ', 'g'), 40))`;
const SAMPLE = `
  SELECT ${SESSION_WORK.replaceAll('%s', 'a.query')} AS work,
         coalesce(a.wait_event_type || ':' || a.wait_event, 'running') AS wait,
         (SELECT ${SESSION_WORK.replaceAll('%s', 'b.query')} FROM pg_stat_activity b
           WHERE b.pid = (pg_blocking_pids(a.pid))[1]) AS blocker
    FROM pg_stat_activity a
   WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.state = 'active'`;

/** Transactions committed in this database so far: how many commits (and so WAL flushes) the load cost. */
const COMMITS = 'SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()';

/**
 * Starts sampling `databaseUrl`; `stop()` ends it and resolves to the tally, most frequent first,
 * and the commits per second meanwhile.
 */
export async function sampleWaits(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pumasi-bench-waits' });
  await client.connect();
  const commitsNow = async () => Number((await client.query(COMMITS)).rows[0].n);
  const started = { at: performance.now(), commits: await commitsNow() };
  const tally = new Map();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query(SAMPLE);
      samples += 1;
      for (const { work, wait, blocker } of rows) {
        const key = `${work} | ${wait}${blocker ? ` | behind ${blocker}` : ''}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await new Promise((done) => setTimeout(done, SAMPLE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const seconds = (performance.now() - started.at) / 1000;
      const commitsPerSecond = Math.round(((await commitsNow()) - started.commits) / seconds);
      await client.end();
      const rows = [...tally].sort((a, b) => b[1] - a[1]);
      const sessions = rows.map(([key, n]) => ({ key, perSample: Number((n / samples).toFixed(2)) }));
      return { samples, sessions, commitsPerSecond };
    },
  };
}
