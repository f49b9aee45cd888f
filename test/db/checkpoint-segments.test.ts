import { chainEverything } from '../support/chain.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { TestApp, testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { CHECKPOINT_EVERY_ENTRIES, CheckpointsService } from '../../src/integrity/checkpoints.service.js';
import { ProofsService } from '../../src/integrity/proofs.service.js';
import { verifyStatementProof } from '../../src/integrity/proof-verifier.js';
import type { StatementProofJson } from '../../src/integrity/proof-verifier.js';

/** Statements of up to 1,000 transfers each: one takes an advisory lock per key, which the lock table must hold. */
const CHUNK = 1_000;

describe('checkpoints over a long chain', () => {
  // The chainer's timer is off (as in every test app): only chainEverything below chains, after the last insert.
  const t = useTestApp();

  it(
    `cover ${CHECKPOINT_EVERY_ENTRIES} entries at most each, so that no checkpoint or proof holds more in memory, and still prove a statement across them`,
    () => proveAcrossSegments(t),
    180_000,
  );
});

async function proveAcrossSegments(t: TestApp): Promise<void> {
  const fixture = await createLedgerFixture(t, [{ balance: 1_000_000n }, {}]);
  const [payer, payee] = fixture.members;
  // Checkpoints end where the chain's first 10,000 entries do (nothing else chains or checkpoints meanwhile): 50
  // payments more, and a page of 100 can run from 50 before that boundary to 50 after it.
  const payments = CHECKPOINT_EVERY_ENTRIES + 50;
  for (let from = 0; from < payments; from += CHUNK) {
    // As the tables' owner: the service's role may only call ledger_create_transfers, one request at a time.
    await ownerQuery(
      testDatabaseUrl(),
      `SELECT count(*) FROM generate_series($1::int, $2::int) n,
              LATERAL ledger_create_transfer('segments-' || $5 || '-' || n, repeat('0', 64), $3, $4, 1, 'payment', '', '{}'::jsonb) r`,
      [from, Math.min(from + CHUNK, payments) - 1, payer.id, payee.id, fixture.community.id],
    );
  }
  await chainEverything(t.dataSource);
  const [latest] = await t.app
    .get(CheckpointsService)
    .recordOnDemand(
      await t.identity.authenticate({ authorization: `Bearer ${fixture.coordinator.token}` }),
      fixture.community.id,
    );

  // A page of the payee's statement across the boundary between the last two checkpoints.
  const payeeActor = await t.identity.authenticate({ authorization: `Bearer ${fixture.holders[1].token}` });
  const proofs = t.app.get(ProofsService);
  const toJson = (proof: unknown) =>
    JSON.parse(
      JSON.stringify(proof, (_, value) => (typeof value === 'bigint' ? value.toString() : value)),
    ) as StatementProofJson;
  const { checkpoints } = toJson(
    await proofs.statementProof(payeeActor, { accountId: payee.id, fromVersion: 1n, first: 1 }),
  );
  expect(checkpoints.map(({ position }) => position)).toEqual([`${CHECKPOINT_EVERY_ENTRIES}`, `${payments + 1}`]);
  // The payee's posting of version v is at chain position v + 1 (the funding came first).
  const boundaryVersion = BigInt(checkpoints.at(-2)!.position) - 1n;
  const fromVersion = boundaryVersion > 50n ? boundaryVersion - 49n : 1n;
  const json = toJson(await proofs.statementProof(payeeActor, { accountId: payee.id, fromVersion, first: 100 }));
  // The funding and every payment: one chain position each, in checkpoints of 10,000 at most.
  expect(json.checkpoint).toMatchObject({ id: latest.id, position: String(payments + 1) });
  expect(
    json.checkpoints.every(
      (checkpoint) => BigInt(checkpoint.position) - BigInt(checkpoint.fromPosition) <= CHECKPOINT_EVERY_ENTRIES,
    ),
  ).toBe(true);
  expect(new Set(json.entries.map((entry) => entry.checkpointSequence)).size).toBe(2);
  expect(verifyStatementProof(json, latest.checkpointHash)).toMatchObject({
    valid: true,
    postings: 100,
    balance: fromVersion + 99n,
  });
}
