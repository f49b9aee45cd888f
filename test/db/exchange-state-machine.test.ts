import { randomUUID } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { pgErrorCode } from '../../libs/database/pg-errors.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { made } from '../support/ledger-rows.js';
import { useTestApp } from '../support/test-app.js';
import { EXCHANGE_TRANSITIONS, ExchangeKind } from '../../src/exchanges/exchange-states.js';
import { ExchangeStatus } from '../../src/exchanges/models/exchange-enums.js';

/** Raised by the trigger on exchanges.status for a move exchange_transitions does not list. */
const NO_SUCH_MOVE = 'PL005';
const STATUSES = Object.values(ExchangeStatus);
const KINDS: ExchangeKind[] = ['single', 'group'];
const MOVE = 'UPDATE exchanges SET status = $2, hold_transfer_id = $3 WHERE id = $1';

/** A row of exchange_transitions. */
interface Row {
  from_status: string | null;
  to_status: string;
  only_for: string | null;
}

const byMove = (a: Row, b: Row): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** What the table in src/exchanges/exchange-states.ts allows, as the database should. */
function allowed(from: ExchangeStatus | null, to: ExchangeStatus, kind: ExchangeKind): boolean {
  return EXCHANGE_TRANSITIONS.some((move) => move.from === from && move.to === to && (move.onlyFor ?? kind) === kind);
}

/**
 * The state machine as the database enforces it, whatever SQL reaches the exchanges table: every
 * status an exchange may start in and every move from each status to each other, for a single
 * exchange and for a group's place, against the same table the service checks. Each case works in a
 * transaction it rolls back, so nothing of it is ever seen by the other files sharing the database.
 */
describe('the exchange state machine in the database', () => {
  const t = useTestApp({ poolSize: 4, owner: true });
  let fixture: LedgerFixture;
  /** A real transfer, for the exchanges that must point at a hold: the trigger, not a foreign key, should refuse. */
  let holdId: string;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 10n }, {}]);
    const [payer, payee] = fixture.members;
    holdId = made(
      await t.ledger.createTransfer({
        idempotencyKey: `state-machine-${randomUUID()}`,
        debitAccountId: payer.id,
        creditAccountId: payee.id,
        amount: 1n,
        code: 'payment',
        memo: '',
      }),
    ).id;
  });

  async function rolledBack(work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** How an attempt ended: 'done', or the SQLSTATE it raised; rolled back to before it either way. */
  async function outcome(runner: QueryRunner, attempt: () => Promise<unknown>): Promise<string> {
    await runner.query('SAVEPOINT attempt');
    try {
      await attempt();
      return 'done';
    } catch (error) {
      return pgErrorCode(error) ?? String(error);
    } finally {
      await runner.query('ROLLBACK TO SAVEPOINT attempt');
    }
  }

  /** Only a proposed exchange holds nothing yet (the CHECK on holds would refuse otherwise, after the trigger). */
  const holdFor = (status: string): string | null => (status === String(ExchangeStatus.PROPOSED) ? null : holdId);

  /** Inserts an exchange in `status`: for the group kind, the place of a new group. */
  async function insertExchange(runner: QueryRunner, status: string, kind: ExchangeKind): Promise<string> {
    const [provider, receiver] = fixture.holders;
    const groupId = kind === 'group' ? await insertGroup(runner) : null;
    const [{ id }] = await runner.query(
      `INSERT INTO exchanges (community_id, group_id, proposer_id, provider_id, provider_account_id, receiver_id,
                              receiver_account_id, estimated_amount, status, hold_transfer_id)
       VALUES ($1, $2, $3, $3, $4, $5, $6, 1, $7, $8) RETURNING id`,
      [
        fixture.community.id,
        groupId,
        provider.memberId,
        provider.account.id,
        receiver.memberId,
        receiver.account.id,
        status,
        holdFor(status),
      ],
    );
    return id;
  }

  async function insertGroup(runner: QueryRunner): Promise<string> {
    const [{ id }] = await runner.query(
      'INSERT INTO exchange_groups (community_id, provider_id, estimated_amount) VALUES ($1, $2, 1) RETURNING id',
      [fixture.community.id, fixture.holders[0].memberId],
    );
    return id;
  }

  /** As a superuser could, triggers off: the one way to put an exchange in any status to start from. */
  async function exchangeIn(runner: QueryRunner, status: ExchangeStatus, kind: ExchangeKind): Promise<string> {
    await runner.query('SET LOCAL session_replication_role = replica');
    const id = await insertExchange(runner, status, kind);
    await runner.query('SET LOCAL session_replication_role = origin');
    return id;
  }

  const expected = (from: ExchangeStatus | null, kind: ExchangeKind) =>
    Object.fromEntries(STATUSES.map((to) => [to, allowed(from, to, kind) ? 'done' : NO_SUCH_MOVE]));

  it('exchange_transitions holds exactly the moves of the table in src/exchanges/exchange-states.ts', async () => {
    const rows: Row[] = await t.dataSource.query('SELECT from_status, to_status, only_for FROM exchange_transitions');
    const moves = EXCHANGE_TRANSITIONS.map((move): Row => ({
      from_status: move.from,
      to_status: move.to,
      only_for: move.onlyFor ?? null,
    }));
    expect([...rows].sort(byMove)).toEqual([...moves].sort(byMove));
  });

  it.each(KINDS)('a new %s exchange starts as proposed, and in no other status', async (kind) => {
    const outcomes: Record<string, string> = {};
    await rolledBack(async (runner) => {
      for (const status of STATUSES) {
        outcomes[status] = await outcome(runner, () => insertExchange(runner, status, kind));
      }
    });
    expect(outcomes).toEqual(expected(null, kind));
  });

  const cases = KINDS.flatMap((kind) => STATUSES.map((from) => [kind, from] as const));

  it.each(cases)(
    'a %s exchange that is %s moves exactly where the table allows, and nowhere else',
    async (kind, from) => {
      const outcomes: Record<string, string> = {};
      await rolledBack(async (runner) => {
        const id = await exchangeIn(runner, from, kind);
        for (const to of STATUSES) {
          outcomes[to] = await outcome(runner, () => runner.query(MOVE, [id, to, holdFor(to)]));
        }
      });
      expect(outcomes).toEqual(expected(from, kind));
    },
  );

  it('names the refused move', async () => {
    await rolledBack(async (runner) => {
      const id = await exchangeIn(runner, ExchangeStatus.ACCEPTED, 'group');
      const deliver = runner.query("UPDATE exchanges SET status = 'delivered' WHERE id = $1", [id]);
      await expect(deliver).rejects.toMatchObject({
        message: `exchange ${id}: no move from accepted to delivered`,
        driverError: { code: NO_SUCH_MOVE },
      });
    });
  });
});
