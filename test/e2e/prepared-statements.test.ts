import { randomUUID } from 'node:crypto';
import { prepared } from '../../libs/database/prepared-statements.js';
import { globalId } from '../support/global-ids.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { useTestApp } from '../support/test-app.js';
import { succeed } from './member-client.js';

const POOL_SIZE = 2;
const PAYMENTS = 4;

/**
 * Issue 14: the statements of every payment are prepared, so that PostgreSQL parses and plans
 * them once per pooled connection, not once per run. Sessions are read on every request here
 * (no cache), so each payment reads one.
 */
describe('prepared statements', () => {
  const t = useTestApp({ poolSize: POOL_SIZE, env: { CREDENTIALS_CACHE_MS: '0' } });

  /** The prepared statements of every pooled connection (each sees only its own), runs summed by text. */
  async function preparedOnThePool(): Promise<{ statement: string; connections: number; runs: number }[]> {
    const runners = Array.from({ length: POOL_SIZE }, () => t.dataSource.createQueryRunner());
    try {
      await Promise.all(runners.map((runner) => runner.connect()));
      const rows = (
        await Promise.all(
          runners.map(
            (runner) =>
              runner.query(
                'SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements WHERE NOT from_sql',
              ) as Promise<{ statement: string; runs: string }[]>,
          ),
        )
      ).flat();
      const byText = new Map<string, { statement: string; connections: number; runs: number }>();
      for (const { statement, runs } of rows) {
        const seen = byText.get(statement) ?? { statement, connections: 0, runs: 0 };
        byText.set(statement, { statement, connections: seen.connections + 1, runs: seen.runs + Number(runs) });
      }
      return [...byText.values()];
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
  }

  /** PAYMENTS transfers over HTTP, from a new member to another; holds, with `asHolds`. */
  async function transfer(asHolds: { pending?: true; timeoutSeconds?: number } = {}): Promise<void> {
    const {
      as,
      members: [payer, payee],
    } = await createLedgerFixture(t, [{ balance: 100n }, {}]);
    for (let payment = 0; payment < PAYMENTS; payment++)
      await succeed(as(payer), 'createTransfer', {
        idempotencyKey: randomUUID(),
        debitAccountId: globalId('Account', payer.id),
        creditAccountId: globalId('Account', payee.id),
        amount: '1',
        code: 'payment',
        memo: '',
        ...asHolds,
      });
  }

  it("runs a payment's session read and ledger call by name, each parsed once per connection", async () => {
    await transfer();

    const statements = await preparedOnThePool();
    const sessionRead = statements.find(({ statement }) => /FROM sessions s JOIN members/.test(statement));
    const ledgerCall = statements.find(({ statement }) => /FROM ledger_create_transfers\(/.test(statement));
    expect(sessionRead).toEqual({
      statement: expect.any(String),
      connections: expect.any(Number),
      runs: expect.any(Number),
    });
    expect(ledgerCall).toEqual({
      statement: expect.any(String),
      connections: expect.any(Number),
      runs: expect.any(Number),
    });
    expect(sessionRead!.runs).toBeGreaterThanOrEqual(PAYMENTS);
    expect(ledgerCall!.runs).toBeGreaterThanOrEqual(PAYMENTS);
  });

  it("reads a hold back by name: every hold's write is followed by that read", async () => {
    await transfer({ pending: true, timeoutSeconds: 60 });

    const readBack = (await preparedOnThePool()).find(({ statement }) =>
      /FROM transfers WHERE id = \$1/.test(statement),
    );
    expect(readBack?.runs).toBeGreaterThanOrEqual(PAYMENTS);
  });

  it('refuses to prepare a statement that does not name its result columns', () => {
    expect(() => prepared('SELECT * FROM sessions WHERE id = $1')).toThrow(/must name its columns/);
    expect(() => prepared('SELECT id FROM sessions WHERE id = $1')).not.toThrow();
  });
});
