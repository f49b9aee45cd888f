import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { errorCodes, made } from '../support/ledger-rows.js';
import pg from 'pg';
import { startTestApp, testDatabaseUrl, TestApp, useTestApp } from '../support/test-app.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { Account, Transfer } from '../../src/ledger/models/ledger.models.js';
import { PendingExpirySweeper } from '../../src/ledger/pending-expiry.sweeper.js';

/**
 * Issue 14, holds under contention: two replicas' sweepers, payments and resolutions on a handful of
 * accounts with many due holds. Each takes its accounts in ascending id order, all at once, so
 * PostgreSQL detects no deadlock (the service would retry one, so only its statistics show it).
 */
describe('holds under contention', () => {
  const t = useTestApp(4);
  const newKey = (): string => `holds-${randomUUID()}`;
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
  const pair = (accounts: Account[]): [Account, Account] => {
    const debit = pick(accounts);
    return [debit, pick(accounts.filter((account) => account !== debit))];
  };
  const transfer = (app: TestApp, [debit, credit]: [Account, Account], extra: Partial<CreateTransferInput> = {}) =>
    app.ledger.createTransfer({
      idempotencyKey: newKey(),
      debitAccountId: debit.id,
      creditAccountId: credit.id,
      amount: BigInt(1 + Math.floor(Math.random() * 9)),
      code: 'payment',
      memo: '',
      ...extra,
    });

  /** This database's deadlocks so far, as PostgreSQL counts them (each backend reports them on exit at the latest). */
  const deadlocks = async (): Promise<number> => {
    await t.dataSource.query('SELECT pg_stat_clear_snapshot()');
    const [row] = await t.dataSource.query<{ deadlocks: string }[]>(
      'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(row.deadlocks);
  };
  const backends = async (): Promise<number[]> =>
    (
      await t.dataSource.query<{ pid: number }[]>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
      )
    ).map((row) => row.pid);

  it('resolves every hold once, with no deadlock, while two replicas sweep, pay and post or void on the same accounts', async () => {
    const { currency, members } = await createLedgerFixture(
      t,
      Array.from({ length: 5 }, () => ({ balance: 100_000n })),
    );
    const before = { deadlocks: await deadlocks(), backends: await backends() };
    const replicas = [await startTestApp(8), await startTestApp(8)];
    try {
      const due = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          transfer(replicas[i % 2], pair(members), { pending: true, timeoutSeconds: 1 }),
        ),
      );
      const open = await Promise.all(
        Array.from({ length: 30 }, (_, i) => transfer(replicas[i % 2], pair(members), { pending: true })),
      );
      const [{ wait }] = await t.dataSource.query<{ wait: number }[]>(
        `SELECT greatest(0, extract(epoch FROM max(timeout_at) - clock_timestamp()) * 1000)::int + 50 AS wait
           FROM transfers WHERE currency_id = $1`,
        [currency.id],
      );
      await sleep(wait);

      const sweepers = replicas.map((replica) => replica.app.get(PendingExpirySweeper));
      const outcomes = await Promise.all([
        ...sweepers.map((sweeper) => sweeper.sweep()),
        // Small batches in loops: many sweeper transactions, each holding its claims while it waits for accounts.
        ...Array.from({ length: 8 }, async (_, i) => {
          while ((await replicas[i % 2].ledger.expireDuePendingTransfers(3)) > 0);
        }),
        ...Array.from({ length: 100 }, (_, i) => transfer(replicas[i % 2], pair(members)).then(made)),
        ...open.map((hold, i) => {
          const resolution = { idempotencyKey: newKey(), pendingTransferId: made(hold).id, memo: '' };
          const { ledger } = replicas[i % 2];
          return (i % 2 ? ledger.postPendingTransfer(resolution) : ledger.voidPendingTransfer(resolution)).then(made);
        }),
        // Posts of due holds, refused: they still lock the holds' accounts.
        ...due
          .slice(0, 20)
          .map((hold, i) =>
            replicas[i % 2].ledger
              .postPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: made(hold).id, memo: '' })
              .then(errorCodes),
          ),
      ]);

      // A sweep never waits for an account: what the racing ones found taken is the next tick's.
      await sweepers[0].sweep();
      expect(outcomes.slice(-20)).toEqual(Array(20).fill([TransferErrorCode.PENDING_TRANSFER_EXPIRED]));
      const resolutions = await t.dataSource.query<{ timed: boolean; kind: string; code: string; n: number }[]>(
        `SELECT p.timeout_at IS NOT NULL AS timed, r.kind, CASE WHEN r.code = 'expired' THEN 'expired' ELSE 'asked' END AS code,
                count(*)::int AS n, count(DISTINCT p.id)::int AS holds
           FROM transfers p JOIN transfers r ON r.pending_id = p.id
          WHERE p.currency_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [currency.id],
      );
      expect(resolutions).toEqual([
        { timed: false, kind: 'post_pending', code: 'asked', n: 15, holds: 15 },
        { timed: false, kind: 'void_pending', code: 'asked', n: 15, holds: 15 },
        { timed: true, kind: 'void_pending', code: 'expired', n: 150, holds: 150 },
      ]);
      const [left] = await t.dataSource.query<{ pending: string; open: number }[]>(
        `SELECT (SELECT sum(pending_debits + pending_credits) FROM accounts WHERE currency_id = $1) AS pending,
                (SELECT count(*)::int FROM ledger_open_holds h JOIN transfers p ON p.id = h.transfer_id WHERE p.currency_id = $1) AS open`,
        [currency.id],
      );
      expect(left).toEqual({ pending: '0', open: 0 });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
    // Their connections report their statistics as they end; an idle one within 10 s (PostgreSQL's
    // PGSTAT_IDLE_INTERVAL), so one that lingers, or a pool of this file's that grew meanwhile, is waited for no longer.
    const flushedBy = Date.now() + 11_000;
    while ((await backends()).some((pid) => !before.backends.includes(pid)) && Date.now() < flushedBy) await sleep(100);
    expect((await deadlocks()) - before.deadlocks).toBe(0);
  });

  /** Waits until the hold's timeout has passed by the database's clock. */
  const untilDue = async (hold: Transfer): Promise<void> => {
    const due = async (): Promise<boolean> =>
      (
        await t.dataSource.query('SELECT timeout_at < clock_timestamp() AS due FROM transfers WHERE id = $1', [hold.id])
      )[0].due;
    while (!(await due())) await sleep(20);
  };

  it("voids a due hold that a sweeper has claimed without waiting for that sweeper, which waits for the payment's accounts", async () => {
    const {
      members: [payer, payee, third],
    } = await createLedgerFixture(t, [{ balance: 100n }, {}, {}]);
    const hold = made(await transfer(t, [payer, payee], { pending: true, timeoutSeconds: 1, amount: 60n }));
    await untilDue(hold);
    // A sweeper's claim, as ledger_expire_due_holds takes it, held open (as the owner: the service may not lock the list).
    const sweeper = new pg.Client({ connectionString: testDatabaseUrl() });
    await sweeper.connect();
    try {
      await sweeper.query('BEGIN');
      await sweeper.query('SELECT 1 FROM ledger_open_holds WHERE transfer_id = $1 FOR UPDATE', [hold.id]);
      const [{ pid }] = (await sweeper.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const blockedBySweeper = async (): Promise<'blocked'> => {
        const blocked = async (): Promise<boolean> =>
          (
            await t.dataSource.query<{ n: number }[]>(
              'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
              [pid],
            )
          )[0].n > 0;
        while (!(await blocked())) await sleep(20);
        return 'blocked';
      };

      const payment = transfer(t, [payer, third], { amount: 100n });
      expect(await Promise.race([payment.then(() => 'paid' as const), blockedBySweeper()])).toBe('paid');
      made(await payment);
    } finally {
      await sweeper.end(); // its claim is dropped, as a sweeper's would be by a rollback
    }

    const [resolution] = await t.dataSource.query<{ code: string; n: number }[]>(
      'SELECT min(code) AS code, count(*)::int AS n FROM transfers WHERE pending_id = $1',
      [hold.id],
    );
    expect(resolution).toEqual({ code: 'expired', n: 1 });
    // The row the payment left to the sweeper goes with the next sweep, which finds the hold resolved.
    await t.app.get(PendingExpirySweeper).sweep();
    expect(await t.dataSource.query('SELECT 1 FROM ledger_open_holds WHERE transfer_id = $1', [hold.id])).toEqual([]);
  });

  it("takes a lone ledger_create_transfer's accounts and its due holds' other accounts in one ascending pass", async () => {
    // The hold's other side has the lowest id: locked after the payment's own two, it would be out of order.
    const {
      members: [other, payer, payee],
    } = await createLedgerFixture(t, [{}, { balance: 100n }, {}]);
    const hold = made(await transfer(t, [payer, other], { pending: true, timeoutSeconds: 1, amount: 60n }));
    await untilDue(hold);
    const [holder, writer, prober] = [0, 1, 2].map(() => new pg.Client({ connectionString: testDatabaseUrl() }));
    await Promise.all([holder, writer, prober].map((client) => client.connect()));
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [other.id]);
      const { rows } = await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const write = writer.query("SELECT * FROM ledger_create_transfer($1, 'h', $2, $3, 100, 'payment', '', '{}')", [
        newKey(),
        payer.id,
        payee.id,
      ]);
      const waiting = async (): Promise<boolean> =>
        (
          await prober.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND $2 = ANY(pg_blocking_pids(pid))',
            [rows[0].pid, (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid],
          )
        ).rows[0].n > 0;
      while (!(await waiting())) await sleep(20);

      // Waiting for the lowest account, the write holds none of the higher ones yet.
      await prober.query('BEGIN');
      await prober.query('SELECT 1 FROM accounts WHERE id = ANY($1::bigint[]) FOR UPDATE NOWAIT', [
        [payer.id, payee.id],
      ]);
      await prober.query('ROLLBACK');
      await holder.query('COMMIT');
      expect((await write).rows[0].outcome).toBe('created');
    } finally {
      await Promise.all([holder, writer, prober].map((client) => client.end()));
    }
    const [resolution] = await t.dataSource.query<{ code: string }[]>(
      'SELECT code FROM transfers WHERE pending_id = $1',
      [hold.id],
    );
    expect(resolution).toEqual({ code: 'expired' });
  });

  it('sweeps without waiting for an account a payment holds: that hold is left to the payment or the next sweep', async () => {
    const {
      members: [busy, payee, payer, other],
    } = await createLedgerFixture(t, [{ balance: 100n }, {}, { balance: 100n }, {}]);
    const onBusy = made(await transfer(t, [busy, payee], { pending: true, timeoutSeconds: 1, amount: 10n }));
    const onFree = made(await transfer(t, [payer, other], { pending: true, timeoutSeconds: 1, amount: 10n }));
    await untilDue(onBusy);
    await untilDue(onFree);
    const codes = async (): Promise<(string | null)[]> =>
      Promise.all(
        [onBusy, onFree].map(
          async (hold) =>
            (
              await t.dataSource.query<{ code: string }[]>('SELECT code FROM transfers WHERE pending_id = $1', [
                hold.id,
              ])
            )[0]?.code ?? null,
        ),
      );
    // A payment's transaction holding the busy account, as a slow one would.
    const payment = new pg.Client({ connectionString: testDatabaseUrl() });
    await payment.connect();
    const sweeper = t.app.get(PendingExpirySweeper);
    try {
      await payment.query('BEGIN');
      await payment.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [busy.id]);
      const swept = sweeper.sweep().then(() => 'swept' as const);
      expect(await Promise.race([swept, sleep(5_000).then(() => 'waited' as const)])).toBe('swept');
      expect(await codes()).toEqual([null, 'expired']);
    } finally {
      await payment.end();
    }
    await sweeper.sweep();
    expect(await codes()).toEqual(['expired', 'expired']);
    expect(
      await t.dataSource.query('SELECT 1 FROM ledger_open_holds WHERE transfer_id = ANY($1::bigint[])', [
        [onBusy.id, onFree.id],
      ]),
    ).toEqual([]);
  });

  it('lists a hold with a timeout until it is posted, voided or expired, and never one without', async () => {
    const {
      members: [payer, payee],
    } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    const hold = (timeoutSeconds?: number): Promise<Transfer> =>
      transfer(t, [payer, payee], { pending: true, timeoutSeconds }).then(made);
    const listed = async (holds: Transfer[]): Promise<boolean[]> => {
      const rows = await t.dataSource.query<{ transfer_id: string }[]>(
        'SELECT transfer_id FROM ledger_open_holds WHERE transfer_id = ANY($1::bigint[])',
        [holds.map((each) => each.id)],
      );
      return holds.map((each) => rows.some((row) => row.transfer_id === each.id));
    };
    const [posted, voided, expiring, untimed] = [await hold(60), await hold(60), await hold(1), await hold()];
    expect(await listed([posted, voided, expiring, untimed])).toEqual([true, true, true, false]);

    made(await t.ledger.postPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: posted.id, memo: '' }));
    made(await t.ledger.voidPendingTransfer({ idempotencyKey: newKey(), pendingTransferId: voided.id, memo: '' }));
    expect(await listed([posted, voided, expiring])).toEqual([false, false, true]);

    const isDue = async (): Promise<boolean> =>
      (
        await t.dataSource.query('SELECT timeout_at < clock_timestamp() AS due FROM transfers WHERE id = $1', [
          expiring.id,
        ])
      )[0].due;
    while (!(await isDue())) await sleep(20);
    await t.app.get(PendingExpirySweeper).sweep();
    expect(await listed([expiring])).toEqual([false]);
    const [resolution] = await t.dataSource.query<{ code: string }[]>(
      'SELECT code FROM transfers WHERE pending_id = $1',
      [expiring.id],
    );
    expect(resolution).toEqual({ code: 'expired' });
  });
});
