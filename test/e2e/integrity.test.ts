import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { chainEverything } from '../support/chain.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { extendChain } from '../../src/integrity/chain.repository.js';
import { verifyStatementProof } from '../../src/integrity/proof-verifier.js';
import type { StatementProofJson } from '../../src/integrity/proof-verifier.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { gql, newKey } from './graphql-client.js';
import {
  CHECKPOINTS,
  CheckpointView,
  RECORD_CHECKPOINT,
  recordCheckpoint,
  STATEMENT_PROOF,
  statementProof,
} from './integrity-client.js';
import { auditRows, pay } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

describe('tamper evidence: the hash chain, checkpoints and statement proofs', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let first: CheckpointView;

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 600n }, { balance: 100n }, {}]);
    const [alice, bob, carol] = fixture.members;
    await pay(fixture.as(alice), alice.id, bob.id, 60, { memo: 'garden, 1h' });
    await pay(fixture.as(bob), bob.id, carol.id, 30, { memo: 'lesson | with a pipe' });
    await chainEverything(t.dataSource);
    first = await recordCheckpoint(fixture.asCoordinator(), fixture.community.id);
  });

  it('chains every transfer of the currency in order and checkpoints the chain', async () => {
    // The fixture's two fundings and two payments.
    expect(first).toMatchObject({
      currencyId: globalId('Currency', fixture.currency.id),
      sequence: '1',
      fromPosition: '0',
      position: '4',
      previousHash: '0'.repeat(64),
    });
    const links = await t.dataSource.query(
      'SELECT position, transfer_id FROM ledger_chain WHERE currency_id = $1 ORDER BY position',
      [fixture.currency.id],
    );
    const transfers = await t.dataSource.query('SELECT id FROM transfers WHERE currency_id = $1 ORDER BY id', [
      fixture.currency.id,
    ]);
    expect(links.map((link: { transfer_id: string }) => link.transfer_id)).toEqual(
      transfers.map((transfer: { id: string }) => transfer.id),
    );
    // Nothing new: recording again returns the same checkpoint.
    expect((await recordCheckpoint(fixture.asCoordinator(), fixture.community.id)).id).toBe(first.id);
    const [row] = await auditRows(t, { communityId: fixture.community.id, action: 'ledger.checkpoint' });
    expect(row).toMatchObject({ actorMemberId: fixture.coordinator.memberId, targetId: fixture.community.id });
    const [event] = await t.dataSource.query(
      "SELECT community_id, payload FROM outbox_events WHERE topic = 'ledger.checkpoint' AND aggregate_id = $1",
      [rowId(first.id)],
    );
    expect(event).toEqual({
      community_id: fixture.community.id,
      payload: expect.objectContaining({ sequence: '1', position: '4', checkpointHash: first.checkpointHash }),
    });
  });

  it('gives a member a proof of their statement that checks out against the checkpoint hash, and fails when any part is altered', async () => {
    const [alice] = fixture.members;
    const proof = (await statementProof(fixture.as(alice), alice.id))!;
    expect(proof.entries.map((entry) => entry.postingText)).toEqual([`${alice.id}:600:600:1`, `${alice.id}:-60:540:2`]);
    expect(verifyStatementProof(proof, first.checkpointHash)).toEqual({
      valid: true,
      problems: [],
      postings: 2,
      balance: 540n,
    });

    const altered = (change: (copy: StatementProofJson) => void): string[] => {
      const copy = structuredClone(proof);
      change(copy);
      return verifyStatementProof(copy, first.checkpointHash).problems;
    };
    expect(altered((copy) => (copy.entries[1].postingText = `${alice.id}:-6:594:2`)).join()).toMatch(
      /not the one committed/,
    );
    expect(
      altered((copy) => (copy.entries[1].entryText = copy.entries[1].entryText.replace('|60|', '|6|'))).join(),
    ).toMatch(/does not hash/);
    expect(altered((copy) => copy.entries.splice(0, 1)).join()).toMatch(/expected version 1/);
    expect(altered((copy) => (copy.entries[0].path[0].hash = '0'.repeat(64))).join()).toMatch(/Merkle path/);
    expect(altered((copy) => (copy.checkpoints[0].merkleRoot = '1'.repeat(64)))).toEqual(
      expect.arrayContaining(['checkpoint 1: its hash does not match its fields']),
    );
    expect(verifyStatementProof(proof, '2'.repeat(64)).problems).toEqual(['the checkpoint is not the one you trust']);
  });

  it('links later checkpoints to earlier ones, so an old trusted hash still vouches and a new proof spans both', async () => {
    const [alice, bob] = fixture.members;
    await pay(fixture.as(alice), alice.id, bob.id, 15);
    await chainEverything(t.dataSource);
    const second = await recordCheckpoint(fixture.asCoordinator(), fixture.community.id);
    expect(second).toMatchObject({ sequence: '2', fromPosition: first.position, previousHash: first.checkpointHash });

    const latest = (await statementProof(fixture.as(bob), bob.id))!;
    expect(latest.entries.map((entry) => entry.checkpointSequence)).toEqual(['1', '1', '1', '2']);
    expect(verifyStatementProof(latest, second.checkpointHash)).toMatchObject({
      valid: true,
      postings: 4,
      balance: 145n,
    });
    const older = (await statementProof(fixture.as(bob), bob.id, { checkpointId: first.id }))!;
    expect(verifyStatementProof(older, first.checkpointHash)).toMatchObject({
      valid: true,
      postings: 3,
      balance: 130n,
    });
  });

  it('pages a long statement by version, each page checking out on its own', async () => {
    const [, bob] = fixture.members;
    const whole = (await statementProof(fixture.as(bob), bob.id))!;
    const head = (await statementProof(fixture.as(bob), bob.id, { first: 2 }))!;
    const rest = (await statementProof(fixture.as(bob), bob.id, { fromVersion: '3' }))!;
    expect([head.hasMore, rest.hasMore, whole.hasMore]).toEqual([true, false, false]);
    expect([...head.entries, ...rest.entries]).toEqual(whole.entries);
    const trusted = whole.checkpoint.checkpointHash;
    expect(verifyStatementProof(head, trusted)).toMatchObject({ valid: true, postings: 2 });
    expect(verifyStatementProof(rest, trusted)).toMatchObject({
      valid: true,
      postings: whole.entries.length - 2,
      balance: verifyStatementProof(whole, trusted).balance,
    });
    const gap = structuredClone(rest);
    gap.entries.splice(0, 1);
    expect(verifyStatementProof(gap, trusted).problems.join()).toMatch(/expected version 3/);
    expectQueryRefused(
      await fixture.as(bob).graphql(STATEMENT_PROOF, { accountId: bob.id, first: 1001 }),
      ErrorCode.BAD_USER_INPUT,
      'statementProof',
    );
    expectQueryRefused(
      await fixture.as(bob).graphql(STATEMENT_PROOF, { accountId: bob.id, fromVersion: '0' }),
      ErrorCode.BAD_USER_INPUT,
      'statementProof',
    );
  });

  it('verifies offline with npm run verify-proof, trusting only the checkpoint hash', async () => {
    const [, , carol] = fixture.members;
    const proof = await statementProof(fixture.as(carol), carol.id);
    const file = join(mkdtempSync(join(tmpdir(), 'pumasi-proof-')), 'proof.json');
    writeFileSync(file, JSON.stringify({ data: { statementProof: proof } }));
    const verifier = join(process.cwd(), 'dist/src/cli/verify-proof.js');
    expect(
      execFileSync(process.execPath, [verifier, '--proof', file, '--checkpoint', proof!.checkpoint.checkpointHash], {
        encoding: 'utf8',
      }),
    ).toMatch(/^Valid: 1 postings/);
    let failed: { status?: number; stdout?: string } = {};
    try {
      execFileSync(process.execPath, [verifier, '--proof', file, '--checkpoint', first.checkpointHash], {
        encoding: 'utf8',
      });
    } catch (error) {
      failed = error as typeof failed;
    }
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/INVALID/);
  });

  it('shows checkpoints to members and auditors, proofs to the holder and auditors, and recording to managers only', async () => {
    const [alice, bob] = fixture.members;
    const other = await createLedgerFixture(t, [{ balance: 10n }]);
    await chainEverything(t.dataSource);
    const foreignCheckpoint = await recordCheckpoint(other.asCoordinator(), other.community.id);
    const { apiKey } = await registerPartnerApp(fixture.asCoordinator(), fixture.community.id, ['AUDIT_READ']);
    const partner = asPartner(t, apiKey);
    const seen = async (client: Parameters<typeof gql>[0]) =>
      (
        await gql<{ ledgerCheckpoints: { edges: { node: { id: string } }[] } }>(client, CHECKPOINTS, {
          communityId: fixture.community.id,
        })
      ).ledgerCheckpoints.edges.length;
    expect(await seen(fixture.as(alice))).toBeGreaterThanOrEqual(2);
    expect(await seen(partner)).toBeGreaterThanOrEqual(2);
    expect((await statementProof(partner, alice.id))?.accountId).toBe(globalId('Account', alice.id));
    expect((await statementProof(fixture.asCoordinator(), alice.id))?.accountId).toBe(globalId('Account', alice.id));

    expectForbidden(await fixture.as(bob).graphql(STATEMENT_PROOF, { accountId: alice.id }), 'statementProof');
    expectForbidden(await other.asCoordinator().graphql(STATEMENT_PROOF, { accountId: alice.id }), 'statementProof');
    expectForbidden(await other.asCoordinator().graphql(CHECKPOINTS, { communityId: fixture.community.id }));
    expectForbidden(
      await fixture.as(alice).graphql(STATEMENT_PROOF, { accountId: alice.id, checkpointId: foreignCheckpoint.id }),
      'statementProof',
    );
    expectForbidden(await fixture.as(alice).graphql(RECORD_CHECKPOINT, { communityId: fixture.community.id }));
    expectForbidden(await partner.graphql(RECORD_CHECKPOINT, { communityId: fixture.community.id }));
    expectQueryRefused(await t.graphql(CHECKPOINTS, { communityId: fixture.community.id }), ErrorCode.UNAUTHENTICATED);
    expectQueryRefused(
      await t.graphql(STATEMENT_PROOF, { accountId: alice.id }),
      ErrorCode.UNAUTHENTICATED,
      'statementProof',
    );
    expectQueryRefused(
      await fixture.as(alice).graphql(STATEMENT_PROOF, { accountId: '0' }),
      ErrorCode.BAD_USER_INPUT,
      'statementProof',
    );
    // Neither a global id nor a number: it names no account, and is denied as an unknown one is.
    expectForbidden(await fixture.as(alice).graphql(STATEMENT_PROOF, { accountId: 'not-an-id' }), 'statementProof');
  });

  it("chains on after a restore onto another server, whose transaction ids run behind the old one's", async () => {
    const [alice, bob] = fixture.members;
    await chainEverything(t.dataSource);
    // What a restored backup holds: a horizon recorded under a counter far ahead of this server's.
    await ownerQuery(
      testDatabaseUrl(),
      'UPDATE ledger_chain_horizon SET candidate_xid = pg_current_xact_id()::text::bigint + 1000000000',
    );
    const payment = await pay(fixture.as(alice), alice.id, bob.id, 1, { memo: 'after the restore' });
    await chainEverything(t.dataSource);
    const chained = await t.dataSource.query('SELECT position FROM ledger_chain WHERE transfer_id = $1', [
      rowId(payment.transfer!.id),
    ]);
    expect(chained).toHaveLength(1);
  });

  it('never passes a transfer whose transaction is still open, and chains it once it commits', async () => {
    const [alice, bob] = fixture.members;
    const writer = new pg.Client({ connectionString: testDatabaseUrl() });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      const [{ id }] = (
        await writer.query(
          "SELECT r.id FROM ledger_create_transfer($1, repeat('0', 64), $2, $3, 1, 'payment', '', '{}'::jsonb) r",
          [newKey(), alice.id, bob.id],
        )
      ).rows;
      const chainedThrough = async () =>
        BigInt((await t.dataSource.query('SELECT chained_through FROM ledger_chain_horizon'))[0].chained_through);
      for (let sweep = 0; sweep < 3; sweep++) {
        await extendChain((sql, params) => t.dataSource.query(sql, params), 100_000);
        expect(await chainedThrough()).toBeLessThan(BigInt(id));
      }
      await writer.query('COMMIT');
      await chainEverything(t.dataSource);
      expect(await t.dataSource.query('SELECT position FROM ledger_chain WHERE transfer_id = $1', [id])).toHaveLength(
        1,
      );
    } finally {
      await writer.end();
    }
  });
});
