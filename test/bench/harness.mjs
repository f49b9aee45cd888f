// What the benchmark and the scale check share: a throwaway database, a free port, and the
// server's memory as the kernel counts it.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../dist/libs/database/embedded-postgres.js';
import { randomBytes } from 'node:crypto';
import { withScratchDatabase } from '../../dist/libs/database/scratch-database.js';
import { ensureServiceLogin } from '../../dist/libs/database/service-role.js';

/**
 * Runs `work(url)` against a fresh database, which is gone afterwards: a scratch database on
 * DATABASE_URL's server, or else an embedded PostgreSQL in a temporary directory.
 */
export async function withDatabase(name, log, work) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    log(`creating a scratch database on ${new URL(serverUrl).host}`);
    return withScratchDatabase(serverUrl, `pumasi_${name}`, work);
  }
  const dataDir = mkdtempSync(join(tmpdir(), `pumasi-${name}-`));
  chmodSync(dataDir, 0o755); // as root, the database runs as `postgres`, which must reach its directory
  const embedded = new EmbeddedPostgres({ dataDir });
  try {
    log(`starting an embedded PostgreSQL in ${dataDir}`);
    return await work(await embedded.start());
  } finally {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The server's database settings for `ownerUrl`, as in production: the service's role, migrations as the owner. */
export async function serverDatabaseEnv(ownerUrl) {
  const serviceUrl = await ensureServiceLogin(ownerUrl, randomBytes(18).toString('base64url'));
  return { DATABASE_URL: serviceUrl, MIGRATION_DATABASE_URL: ownerUrl };
}

/**
 * The Node flags for the server under test: those `npm start` runs it with (package.json), so that
 * it runs as in production, then BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * to profile it under load (Node refuses --cpu-prof in NODE_OPTIONS).
 */
export function serverNodeFlags() {
  const start = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.start;
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...start.split(' ').filter((word) => word.startsWith('--')), ...extra];
}

/** The word after `name` on the command line (`--rounds 3`), or undefined without `name`. */
export function commandLineValue(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

export function findFreePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A process's memory in MB from /proc/<pid>/status: `VmRSS` now, or `VmHWM`, its peak so far. */
export function memoryMb(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number((Number(match[1]) / 1024).toFixed(1)) : null;
}
