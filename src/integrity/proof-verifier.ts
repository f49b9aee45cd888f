import { databaseIdOf } from '../../libs/graphql/global-id.js';
import { checkpointHash, foldPath, sha256, ZERO_HASH } from './merkle.js';
import type { ProofStep } from './merkle.js';

/**
 * Checks a statement proof (the `statementProof` answer, as JSON) against a checkpoint hash the
 * member trusts, trusting nothing else the server said. Used by `npm run verify-proof` and by the
 * tests; docs/audit.md describes the same steps for anyone who would rather write their own.
 */
export interface CheckpointJson {
  currencyId: string;
  sequence: string;
  fromPosition: string;
  position: string;
  chainHash: string;
  merkleRoot: string;
  previousHash: string;
  checkpointHash: string;
}

export interface StatementProofJson {
  accountId: string;
  fromVersion: string;
  checkpoint: CheckpointJson;
  checkpoints: CheckpointJson[];
  entries: {
    transferId: string;
    position: string;
    checkpointSequence: string;
    entryText: string;
    entryHash: string;
    postingText: string;
    postingSalt: string;
    path: ProofStep[];
  }[];
}

export interface ProofVerdict {
  valid: boolean;
  problems: string[];
  /** The account's postings the proof covers, and its balance after the last of them (null with none). */
  postings: number;
  balance: bigint | null;
}

// pumasi-entry-v1|id|currency|kind|debit|credit|amount|pending|reverses|code|memo hash|createdAt|debit commitment|credit commitment
const ENTRY_FIELDS = 14;

function checkCheckpoints(proof: StatementProofJson, trustedHash: string, problems: string[]): void {
  let previous: CheckpointJson | null = null;
  proof.checkpoints.forEach((checkpoint, index) => {
    const recomputed = checkpointHash({
      currencyId: checkpoint.currencyId,
      sequence: checkpoint.sequence,
      fromPosition: checkpoint.fromPosition,
      position: checkpoint.position,
      chainHash: Buffer.from(checkpoint.chainHash, 'hex'),
      merkleRoot: Buffer.from(checkpoint.merkleRoot, 'hex'),
      previousHash: Buffer.from(checkpoint.previousHash, 'hex'),
    }).toString('hex');
    if (recomputed !== checkpoint.checkpointHash)
      problems.push(`checkpoint ${checkpoint.sequence}: its hash does not match its fields`);
    if (checkpoint.sequence !== String(index + 1))
      problems.push(`checkpoint ${checkpoint.sequence}: expected sequence ${index + 1}`);
    if (checkpoint.previousHash !== (previous?.checkpointHash ?? ZERO_HASH.toString('hex')))
      problems.push(`checkpoint ${checkpoint.sequence}: does not name the checkpoint before it`);
    if (checkpoint.fromPosition !== (previous?.position ?? '0'))
      problems.push(`checkpoint ${checkpoint.sequence}: does not start where the one before ended`);
    if (checkpoint.currencyId !== proof.checkpoint.currencyId)
      problems.push(`checkpoint ${checkpoint.sequence}: belongs to another currency`);
    previous = checkpoint;
  });
  const last = proof.checkpoints.at(-1);
  if (!last || last.checkpointHash !== proof.checkpoint.checkpointHash)
    problems.push("the checkpoints do not end at the proof's checkpoint");
  if (proof.checkpoint.checkpointHash !== trustedHash.toLowerCase())
    problems.push('the checkpoint is not the one you trust');
}

function checkEntries(
  proof: StatementProofJson,
  problems: string[],
): { version: bigint; amount: bigint; balance: bigint }[] {
  const postings: { version: bigint; amount: bigint; balance: bigint }[] = [];
  for (const entry of proof.entries) {
    const label = `transfer ${entry.transferId}`;
    const fields = entry.entryText.split('|');
    const checkpoint = proof.checkpoints[Number(entry.checkpointSequence) - 1];
    if (sha256(entry.entryText).toString('hex') !== entry.entryHash)
      problems.push(`${label}: the entry does not hash to the chained entry hash`);
    if (
      !checkpoint ||
      !foldPath(Buffer.from(entry.entryHash, 'hex'), entry.path).equals(Buffer.from(checkpoint.merkleRoot, 'hex'))
    ) {
      problems.push(`${label}: its Merkle path does not lead to checkpoint ${entry.checkpointSequence}`);
    }
    if (
      checkpoint &&
      !(
        BigInt(entry.position) > BigInt(checkpoint.fromPosition) &&
        BigInt(entry.position) <= BigInt(checkpoint.position)
      )
    ) {
      problems.push(`${label}: its position is outside checkpoint ${entry.checkpointSequence}`);
    }
    const [account, amount, balance, version] = entry.postingText.split(':');
    const isDebit = amount.startsWith('-');
    const commitment = sha256(Buffer.from(entry.postingSalt, 'hex'), entry.postingText).toString('hex');
    if (fields.length !== ENTRY_FIELDS || fields[0] !== 'pumasi-entry-v1' || fields[1] !== entry.transferId)
      problems.push(`${label}: the entry is not a pumasi-entry-v1 of this transfer`);
    if (account !== proof.accountId || fields[isDebit ? 4 : 5] !== proof.accountId)
      problems.push(`${label}: the posting is not this account's`);
    if (!fields[isDebit ? 12 : 13]?.split(',').includes(commitment))
      problems.push(`${label}: the posting is not the one committed in the entry`);
    postings.push({ version: BigInt(version), amount: BigInt(amount), balance: BigInt(balance) });
  }
  return postings;
}

/**
 * Versions from `fromVersion` on with no gap, each balance following from the one before (from an
 * empty account when the proof starts at version 1): nothing was left out in between.
 */
function checkContinuity(
  fromVersion: bigint,
  postings: { version: bigint; amount: bigint; balance: bigint }[],
  problems: string[],
): bigint | null {
  let balance: bigint | null = fromVersion === 1n ? 0n : null;
  [...postings]
    .sort((a, b) => (a.version < b.version ? -1 : 1))
    .forEach((posting, index) => {
      if (posting.version !== fromVersion + BigInt(index))
        problems.push(`posting version ${posting.version}: expected version ${fromVersion + BigInt(index)}`);
      if (balance !== null && posting.balance !== balance + posting.amount)
        problems.push(`posting version ${posting.version}: its balance does not follow from the one before`);
      balance = posting.balance;
    });
  return balance;
}

/**
 * The proof with the database ids its hashes were made over: the API names the account, the
 * currency and the transfers by global ids (since 0.2.0), and proofs saved before hold bare ones.
 */
function withDatabaseIds(proof: StatementProofJson): StatementProofJson {
  const inCurrency = (checkpoint: CheckpointJson) => ({
    ...checkpoint,
    currencyId: databaseIdOf(checkpoint.currencyId, 'Currency'),
  });
  return {
    ...proof,
    accountId: databaseIdOf(proof.accountId, 'Account'),
    checkpoint: inCurrency(proof.checkpoint),
    checkpoints: proof.checkpoints.map(inCurrency),
    entries: proof.entries.map((entry) => ({ ...entry, transferId: databaseIdOf(entry.transferId, 'Transfer') })),
  };
}

export function verifyStatementProof(given: StatementProofJson, trustedCheckpointHash: string): ProofVerdict {
  const proof = withDatabaseIds(given);
  const problems: string[] = [];
  checkCheckpoints(proof, trustedCheckpointHash, problems);
  const postings = checkEntries(proof, problems);
  const balance = checkContinuity(BigInt(proof.fromVersion), postings, problems);
  return { valid: problems.length === 0, problems, postings: postings.length, balance };
}
