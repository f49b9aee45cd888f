import { GraphqlClient } from '../support/test-app.js';
import type { CheckpointJson, StatementProofJson } from '../../src/integrity/proof-verifier.js';
import { gql } from './graphql-client.js';

/** The tamper-evidence API as the e2e tests use it: checkpoints and statement proofs. */
export const CHECKPOINT_FIELDS =
  'id currencyId sequence fromPosition position chainHash merkleRoot previousHash checkpointHash createdAt';
export const RECORD_CHECKPOINT = `mutation Record($communityId: ID!) { recordLedgerCheckpoint(communityId: $communityId) { ${CHECKPOINT_FIELDS} } }`;
export const CHECKPOINTS = `query Checkpoints($communityId: ID!, $first: Int) { ledgerCheckpoints(communityId: $communityId, first: $first) { edges { node { ${CHECKPOINT_FIELDS} } } } }`;
export const STATEMENT_PROOF = `query Proof($accountId: ID!, $checkpointId: ID, $fromVersion: Int64, $first: Int) {
  statementProof(accountId: $accountId, checkpointId: $checkpointId, fromVersion: $fromVersion, first: $first) {
    accountId fromVersion hasMore checkpoint { ${CHECKPOINT_FIELDS} } checkpoints { ${CHECKPOINT_FIELDS} }
    entries { transferId position checkpointSequence entryText entryHash postingText postingSalt path { hash side } }
  }
}`;

export type CheckpointView = CheckpointJson & { id: string };

export async function recordCheckpoint(client: GraphqlClient, communityId: string): Promise<CheckpointView> {
  const { recordLedgerCheckpoint } = await gql<{ recordLedgerCheckpoint: CheckpointView[] }>(
    client,
    RECORD_CHECKPOINT,
    { communityId },
  );
  if (recordLedgerCheckpoint.length !== 1)
    throw new Error(`expected one checkpoint, got ${recordLedgerCheckpoint.length}`);
  return recordLedgerCheckpoint[0];
}

export async function statementProof(
  client: GraphqlClient,
  accountId: string,
  page: { checkpointId?: string; fromVersion?: string; first?: number } = {},
): Promise<(StatementProofJson & { hasMore: boolean }) | null> {
  return (
    await gql<{ statementProof: (StatementProofJson & { hasMore: boolean }) | null }>(client, STATEMENT_PROOF, {
      accountId,
      ...page,
    })
  ).statementProof;
}
