// The newcomer's path, end to end: no DATABASE_URL, so `node dist/src/main.js` must start its own
// PostgreSQL, seed the demo community, serve GraphQL, let a member log in with the password the seed
// printed and pay another, survive a kill -9 and stop cleanly on SIGTERM.
// Usage: node test/smoke/embedded-smoke.mjs  (after `npm run build`). Exits non-zero on failure.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'pumasi-smoke-'));
chmodSync(dataDir, 0o755); // as root the database runs as `postgres`, which must reach it
const port = await new Promise((done) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => done(free));
  });
});
// At info level, as a newcomer runs it: the seed prints the demo logins at that level.
const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
delete env.DATABASE_URL;

/** The server; its output is kept in `child.output`, and shown only if the smoke test fails. */
function start() {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk) => {
      child.output += chunk;
    });
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return child;
}

// eslint-disable-next-line no-control-regex -- the terminal's colour codes start with ESC
const TERMINAL_COLOURS = /\x1b\[[0-9;]*m/g;

/**
 * The demo logins the seed printed once, as lines `  <role> <email> <password>`; in production the
 * log lines are JSON (pino's), with the same text as their `msg`. Colours are dropped first.
 */
function demoLogins(output) {
  const text = output
    .replace(TERMINAL_COLOURS, '')
    .split('\n')
    .map((line) => {
      try {
        return JSON.parse(line).msg ?? line;
      } catch {
        return line;
      }
    })
    .join('\n');
  return [...text.matchAll(/^ +(member|coordinator) +(\S+@\S+) +(\S+)$/gm)].map(([, role, email, password]) => ({
    role,
    email,
    password,
  }));
}

async function graphql(query, variables, token) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** Logs in with a demo login; its access token and its own account (id and balance). */
async function logIn({ email, password }) {
  const login = await graphql(
    'mutation($i: LoginInput!) { login(input: $i) { tokens { accessToken } userErrors { code } } }',
    { i: { email, password } },
  );
  const token = login.data?.login.tokens?.accessToken;
  if (!token) throw new Error(`${email} could not log in with the printed password: ${JSON.stringify(login)}`);
  const me = await graphql('{ me { memberships { accountId account { balance } } } }', {}, token);
  const [membership] = me.data.me.memberships;
  return { email, token, accountId: membership.accountId, balance: membership.account.balance };
}

const PAY =
  'mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id amount } userErrors { code } } }';

async function waitForGraphql(seconds) {
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    try {
      const body = await graphql('{ communities { id } }');
      if (body.data) return (Date.now() - started) / 1000;
    } catch {
      /* not listening yet */
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`/graphql did not answer within ${seconds} s`);
}

function postgresProcesses() {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok - ${message}`);
}

let server;
const outputs = [];
try {
  server = start();
  outputs.push(server);
  const seconds = await waitForGraphql(15);
  check(true, `/graphql answered ${seconds.toFixed(1)} s after start on a new DATA_DIR`);

  const accounts = await graphql('{ communities { currencies { id code } } }');
  const currency = accounts.data.communities[0].currencies[0];
  check(currency.code === 'HOUR', 'the demo community with its HOUR currency was seeded');
  const logins = demoLogins(server.output).filter((login) => login.role === 'member');
  check(logins.length >= 2, `the seed printed the members' logins (${logins.length} found)`);
  const [payer, payee] = await Promise.all(logins.slice(0, 2).map(logIn));
  // The demo's exchanges have moved some of the 5-hour starter grants; the payer can still afford 90 minutes.
  check(
    BigInt(payer.balance) >= 90n && BigInt(payee.balance) > 0n,
    `two members logged in, holding ${payer.balance} and ${payee.balance} minutes`,
  );

  const transfer = {
    idempotencyKey: 'smoke-1',
    debitAccountId: payer.accountId,
    creditAccountId: payee.accountId,
    amount: '90',
    memo: 'smoke test',
  };
  const anonymous = await graphql(PAY, { i: { ...transfer, idempotencyKey: 'smoke-anonymous' } });
  check(anonymous.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', 'an anonymous transfer is refused');
  const payment = await graphql(PAY, { i: transfer }, payer.token);
  check(
    payment.data.createTransfer.transfer?.amount === '90',
    "a transfer went through GraphQL with the payer's token",
  );

  server.kill('SIGKILL');
  await server.exited;
  check(postgresProcesses().length > 0, 'kill -9 of the server left its postmaster behind (the case to recover from)');
  server = start();
  outputs.push(server);
  await waitForGraphql(30);
  // The seed does not run again (the community exists); the session from before the crash still holds.
  const after = await graphql('query($id: ID!) { account(id: $id) { balance } }', { id: payer.accountId }, payer.token);
  check(
    after.data?.account.balance === String(BigInt(payer.balance) - 90n),
    'a restart after kill -9 recovered the database with the transfer in it',
  );

  server.kill('SIGTERM');
  const { code } = await server.exited;
  check(code === 0, 'SIGTERM stopped the server with exit code 0');
  check(postgresProcesses().length === 0, 'no postgres process is left after SIGTERM');
} catch (error) {
  console.error(`not ok - ${error.message}`);
  for (const [run, { output }] of outputs.entries()) console.error(`--- server output, start ${run + 1}:\n${output}`);
  server?.kill('SIGKILL');
  for (const pid of postgresProcesses()) process.kill(Number(pid), 'SIGKILL');
  process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
