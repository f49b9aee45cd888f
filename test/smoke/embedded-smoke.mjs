// The newcomer's path, end to end: no DATABASE_URL, so `node dist/src/main.js` must start its own
// PostgreSQL, serve GraphQL, make a transfer, survive a kill -9 and stop cleanly on SIGTERM.
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
const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;

function start() {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return child;
}

async function graphql(query, variables) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function waitForGraphql(seconds) {
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    try {
      const body = await graphql('{ communities { id } }');
      if (body.data) return (Date.now() - started) / 1000;
    } catch { /* not listening yet */ }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`/graphql did not answer within ${seconds} s`);
}

function postgresProcesses() {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok - ${message}`);
}

let server;
try {
  server = start();
  const seconds = await waitForGraphql(15);
  check(true, `/graphql answered ${seconds.toFixed(1)} s after start on a new DATA_DIR`);

  const accounts = await graphql('{ communities { currencies { id code } } }');
  const currency = accounts.data.communities[0].currencies[0];
  check(currency.code === 'HOUR', 'the demo community with its HOUR currency was seeded');
  const members = await graphql('query($c: ID!) { accounts(currencyId: $c, kind: MEMBER) { edges { node { id balance } } } }', { c: currency.id });
  const [payer, payee] = members.data.accounts.edges.map((edge) => edge.node);
  check(payer.balance === '300', 'members hold the 5-hour starter grant');

  const payment = await graphql(
    'mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id amount } userErrors { code } } }',
    { i: { idempotencyKey: 'smoke-1', debitAccountId: payer.id, creditAccountId: payee.id, amount: '90', memo: 'smoke test' } },
  );
  check(payment.data.createTransfer.transfer?.amount === '90', 'a transfer went through GraphQL');

  server.kill('SIGKILL');
  await server.exited;
  check(postgresProcesses().length > 0, 'kill -9 of the server left its postmaster behind (the case to recover from)');
  server = start();
  await waitForGraphql(30);
  const after = await graphql('query($id: ID!) { account(id: $id) { balance } }', { id: payer.id });
  check(after.data.account.balance === '210', 'a restart after kill -9 recovered the database with the transfer in it');

  server.kill('SIGTERM');
  const { code } = await server.exited;
  check(code === 0, 'SIGTERM stopped the server with exit code 0');
  check(postgresProcesses().length === 0, 'no postgres process is left after SIGTERM');
} catch (error) {
  console.error(`not ok - ${error.message}`);
  server?.kill('SIGKILL');
  for (const pid of postgresProcesses()) process.kill(Number(pid), 'SIGKILL');
  process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
