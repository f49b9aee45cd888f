// The ledger's write functions alone, by pgbench (issue 14, "In the database"): ledger_create_transfer,
// one transfer through ledger_create_transfers (the server's call) and linked batches of 100, each
// against the minimal one-round-trip transfer measured in the same round, on one scratch database
// set up as the benchmark's (10,000 funded members). Figures only: nothing is asserted.
//
// Usage: npm run build && node test/bench/ledger-sql.mjs [--seconds 10] [--rounds 2] [--before N]
//   --before N  also measure the ledger as it was N migrations ago: each round undoes the last N
//               migrations (their `down`), measures "before", redoes them and measures "after", so
//               that both are measured alternately (A B A B) on the same data.
// Needs DATABASE_URL (a server where a scratch database may be created) and pgbench.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDataSource } from '../../dist/src/data-source.js';
import { withDatabase } from './harness.mjs';
import { setUpLedger } from './ledger-fixture.mjs';
import { PGBENCH_CALLS, pgbenchTps, setUpMinimalTransfer } from './minimal-transfer.mjs';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    before: { type: 'string', default: '0' },
  },
});
const SECONDS = Number(options.seconds);
const CLIENTS = 16;
const BATCH_CLIENTS = 4; // as the benchmark's batch workload
const BATCH_SIZE = 100;
const log = (message) => process.stderr.write(`[ledger-sql] ${message}\n`);

/** A transfer of 1 between `:debit` and `credit`, as the server writes it into ledger_create_transfers' array. */
const transferJson = (credit) =>
  `jsonb_build_object('idempotencyKey', gen_random_uuid()::text, 'requestHash', repeat('0', 64), 'debitAccountId', :debit,
     'creditAccountId', ${credit}, 'amount', 1, 'code', 'payment', 'memo', '', 'metadata', '{}'::jsonb)`;

const singleCalls = (members) => ({
  minimal: PGBENCH_CALLS.minimal,
  ledger: PGBENCH_CALLS.ledger,
  ledgerOneInArray: `SELECT count(*) FROM ledger_create_transfers(jsonb_build_array(${transferJson(':credit')}), false)`,
  // One payer pays BATCH_SIZE others (spread over the members by a stride), all or none.
  [`linked${BATCH_SIZE}`]: `SELECT count(*) FROM ledger_create_transfers((SELECT jsonb_agg(${transferJson('m.account_id')})
     FROM bench_member_accounts m WHERE m.n <> :d AND m.n IN (SELECT 1 + (:d + i * 97) % ${members} FROM generate_series(1, ${BATCH_SIZE}) i)), true)`,
});

async function migrate(databaseUrl, work) {
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Each workload of `calls` by pgbench; the linked batches with the benchmark's batch clients. */
async function measure(databaseUrl, members) {
  const { [`linked${BATCH_SIZE}`]: batch, ...singles } = singleCalls(members);
  const tps = await pgbenchTps(databaseUrl, { members, clients: CLIENTS, seconds: SECONDS, calls: singles });
  const batches = await pgbenchTps(databaseUrl, {
    members,
    clients: BATCH_CLIENTS,
    seconds: SECONDS,
    calls: { batch },
  });
  return { ...tps, batchTransfers: batches.batch * BATCH_SIZE };
}

function report(label, tps) {
  const ratio = (value, of) => (value / of).toFixed(2);
  log(
    `${label}: minimal ${tps.minimal.toFixed(0)}/s, ledger_create_transfer ${tps.ledger.toFixed(0)}/s (${ratio(tps.ledger, tps.minimal)} of minimal), ` +
      `one in ledger_create_transfers ${tps.ledgerOneInArray.toFixed(0)}/s (${ratio(tps.ledgerOneInArray, tps.minimal)}), ` +
      `linked batches ~${tps.batchTransfers.toFixed(0)} transfers/s (${ratio(tps.batchTransfers, tps.ledger)} of ledger_create_transfer); ` +
      `load ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );
}

async function main() {
  const before = Number(options.before);
  await withDatabase('ledgersql', log, async (databaseUrl) => {
    await migrate(databaseUrl, (dataSource) => dataSource.runMigrations({ transaction: 'each' }));
    const { members } = await setUpLedger(databaseUrl, { runId: `ledger-sql-${Date.now().toString(36)}`, log });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    try {
      await setUpMinimalTransfer(pool, members);
    } finally {
      await pool.end();
    }
    for (let round = 1; round <= Number(options.rounds); round += 1) {
      if (before > 0) {
        await migrate(databaseUrl, async (dataSource) => {
          for (let undone = 0; undone < before; undone += 1)
            await dataSource.undoLastMigration({ transaction: 'each' });
        });
        report(`round ${round}, before`, await measure(databaseUrl, members.length));
        await migrate(databaseUrl, (dataSource) => dataSource.runMigrations({ transaction: 'each' }));
      }
      report(`round ${round}, after`, await measure(databaseUrl, members.length));
    }
  });
}

main().catch((error) => {
  process.stderr.write(`[ledger-sql] failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
