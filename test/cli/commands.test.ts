import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecrets } from '../../libs/config/app-config.js';
import { findFreePort } from '../../libs/database/embedded-postgres.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { MIGRATIONS } from '../../migrations/index.js';

/** The command-line tools as an operator runs them: the built files (`npm test` builds first), in a process of their own. */

const COMMANDS = [
  'migrate',
  'create-admin',
  'verify-proof',
  'print-schema',
  'check-migrations',
  'draw-exchange-states',
];

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** The environment of a newcomer's shell: no DATABASE_URL unless the test gives one. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  return env;
}

function runCli(command: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [`dist/src/cli/${command}.js`, ...args],
      { env: environment(env), timeout: 90_000 },
      (error, stdout, stderr) => {
        done({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A refusal an operator can read: one line on stderr, naming the command, no stack trace. */
function expectPlainError(outcome: Outcome, status: number, pattern: RegExp): void {
  expect(outcome.status).toBe(status);
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at |TypeError|ERR_/);
}

/** A data directory the embedded PostgreSQL (run as `postgres` when we are root) can reach. */
function newDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'pumasi-cli-'));
  chmodSync(dataDir, 0o755);
  return dataDir;
}

describe('every command-line tool', () => {
  it.each(COMMANDS)('%s --help prints its usage and exits 0', async (command) => {
    const outcome = await runCli(command, ['--help']);
    expect(outcome).toMatchObject({ status: 0, stderr: '' });
    expect(outcome.stdout).toMatch(/^Usage: npm run \S+ -- \[options\]\n/);
    expect(outcome.stdout).toContain('--help');
  });

  it.each(COMMANDS)('%s refuses an unknown option in one line, with exit code 64', async (command) => {
    expectPlainError(
      await runCli(command, ['--frobnicate']),
      64,
      new RegExp(`Unknown option '--frobnicate'. See npm run .* --help$`),
    );
  });
});

describe('verify-proof', () => {
  it('answers a file holding a GraphQL error instead of a proof with a plain error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pumasi-proof-')), 'proof.json');
    writeFileSync(
      file,
      JSON.stringify({ errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }], data: null }),
    );
    expectPlainError(
      await runCli('verify-proof', ['--proof', file, '--checkpoint', 'ab'.repeat(32)]),
      1,
      /^verify-proof: .*GraphQL error answer, not a proof: Forbidden$/,
    );
  });
});

describe('migrate', () => {
  it('--status lists every migration as applied on a migrated database, and says which database it is', async () => {
    const outcome = await runCli('migrate', ['--status'], { DATABASE_URL: testDatabaseUrl() });
    expect(outcome.status).toBe(0);
    const names = MIGRATIONS.map((migration) => (migration as unknown as { name: string }).name);
    expect(outcome.stdout).toBe(
      `Database: the PostgreSQL of DATABASE_URL (${redactSecrets(testDatabaseUrl())})\nApplied (${names.length}):${names.map((name) => `\n  ${name}`).join('')}\nPending (0): none\n`,
    );
  });

  it('without DATABASE_URL refuses to create a new embedded database unless asked', async () => {
    const dataDir = newDataDir();
    try {
      expectPlainError(
        await runCli('migrate', [], { DATA_DIR: dataDir }),
        1,
        /DATABASE_URL is unset and .* holds no embedded database: .*--create/,
      );
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an admin on a running embedded server', () => {
  let server: ChildProcess;
  let output = '';
  let dataDir: string;
  let port: number;

  const graphql = async (query: string, token?: string): Promise<Record<string, any>> => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as Record<string, any>;
  };
  const isAdmin = async (email: string, password: string): Promise<boolean> => {
    const login = await graphql(
      `mutation { login(input: { email: "${email}", password: "${password}" }) { tokens { accessToken } } }`,
    );
    const token = login.data?.login.tokens?.accessToken as string | undefined;
    return token ? ((await graphql('{ me { isAdmin } }', token)).data?.me.isAdmin as boolean) : false;
  };

  beforeAll(async () => {
    dataDir = newDataDir();
    port = await findFreePort();
    // Its own process group, stopped by that group's id.
    server = spawn(process.execPath, ['dist/src/main.js'], {
      env: environment({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', NO_COLOR: '1' }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [server.stdout!, server.stderr!])
      stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Pumasi is serving')) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  });

  afterAll(async () => {
    if (server?.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is printed once by the first start, beside the demo logins', async () => {
    // eslint-disable-next-line no-control-regex -- strips the terminal's colour codes, which start with ESC
    const [, email, password] = /^ +admin +(\S+@\S+) +(\S+)$/m.exec(output.replace(/\x1b\[[0-9;]*m/g, '')) ?? [];
    expect(email).toBeDefined();
    expect(await isAdmin(email, password)).toBe(true);
  });

  it("is made by create-admin while the server runs, on the server's own database", async () => {
    const password = 'a long admin password';
    const outcome = await runCli('create-admin', ['--email', 'ops@pumasi.example', '--name', 'Ops'], {
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: password,
    });
    expect(outcome).toMatchObject({ status: 0, stderr: '' });
    expect(outcome.stdout).toContain(`Admin created on the embedded PostgreSQL of the running server under ${dataDir}`);
    expect(await isAdmin('ops@pumasi.example', password)).toBe(true);
  });
});
