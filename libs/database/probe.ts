import pg from 'pg';

/**
 * Whether PostgreSQL at `url` answers `SELECT 1` within `timeoutMs`, on a connection of its own:
 * a pool busy with requests must not look like a database that is down. Never throws, and says
 * nothing of why (the address and the driver's words stay in the server).
 */
export async function databaseAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'pumasi-health',
  });
  client.on('error', () => undefined); // a connection lost after the answer: nothing left to tell
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((done) => (timer = setTimeout(() => done(false), timeoutMs)));
  const answer = (async () => {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
    // Not awaited: a stalled server may never acknowledge the goodbye.
    client.end().catch(() => undefined);
  }
}
