import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { Int64Scalar } from '../../../libs/graphql/scalars.js';
import type { ProofSide } from '../merkle.js';
import { IntegrityUserError } from './verification.models.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@NodeType('LedgerCheckpoint', {
  idDescription: 'Names this checkpoint: pass it as `checkpointId` to `statementProof`.',
  description:
    "A checkpoint of a currency's hash chain. `checkpointHash` is SHA-256 of `pumasi-checkpoint-v1|currencyId|sequence|fromPosition|position|chainHash|merkleRoot|previousHash` " +
    '(hashes in lower-case hex), and names the previous checkpoint, so keeping one checkpoint hash vouches for every checkpoint before it.',
  node: false,
})
export class LedgerCheckpoint {
  id: string;

  @GlobalIdField('Currency', { description: 'The currency whose hash chain this checkpoint covers.' })
  currencyId: string;

  @Field(() => Int64Scalar, { description: '1, 2, 3… within the currency.' })
  sequence: bigint;

  @Field(() => Int64Scalar, {
    description:
      'The chain position of the previous checkpoint (0 for the first): this one covers the entries after it.',
  })
  fromPosition: bigint;

  @Field(() => Int64Scalar, { description: 'The last chain position covered.' })
  position: bigint;

  @Field({
    description: 'The chain hash at `position`: SHA-256(previous chain hash ‖ entry hash), from 32 zero bytes.',
  })
  chainHash: string;

  @Field({ description: 'Merkle root of the entry hashes at positions fromPosition+1…position (see docs/audit.md).' })
  merkleRoot: string;

  @Field({ description: "The previous checkpoint's hash (64 zeros for the first)." })
  previousHash: string;

  @Field({
    description:
      "This checkpoint's own hash (lower-case hex), computed as the type's description says; keep it to check later proofs.",
  })
  checkpointHash: string;

  @Field({ description: 'When the checkpoint was recorded.' })
  createdAt: Date;
}

@ObjectType({
  description:
    "A community's ledger checkpoints, newest first. No totalCount: checkpoints are recorded again and again for as long as the ledger runs, a set without bound.",
})
export class LedgerCheckpointConnection extends ConnectionType(LedgerCheckpoint, 'LedgerCheckpoint') {}

export const ProofSideEnum = { LEFT: 'LEFT', RIGHT: 'RIGHT' } as const;
registerEnumType(ProofSideEnum, {
  name: 'ProofSide',
  description: 'Which side of the path the sibling hash is on.',
  valuesMap: {
    LEFT: { description: 'The next node is sha256(0x01 ‖ sibling ‖ running hash).' },
    RIGHT: { description: 'The next node is sha256(0x01 ‖ running hash ‖ sibling).' },
  },
});

@ObjectType({ description: 'One step of a Merkle path, from the leaf up.' })
export class ProofStep {
  @Field({ description: 'The sibling hash at this level of the Merkle tree (lower-case hex).' })
  hash: string;

  @Field(() => ProofSideEnum, {
    description: 'Whether the sibling is hashed to the left or to the right of the running hash.',
  })
  side: ProofSide;
}

@ObjectType({ description: "One transfer of the account's statement, with what proves it is in a checkpoint." })
export class StatementProofEntry {
  @GlobalIdField('Transfer', { description: 'The transfer this entry is.' })
  transferId: string;

  @Field(() => Int64Scalar, { description: "The entry's position in its currency's hash chain." })
  position: bigint;

  @Field(() => Int64Scalar, { description: 'The checkpoint whose Merkle root this entry leads to.' })
  checkpointSequence: bigint;

  @Field({
    description:
      'The entry as the ledger holds it now: pumasi-entry-v1|id|currencyId|kind|debitAccountId|creditAccountId|amount|pendingId|reversesId|code|sha256(memo)|createdAt|debit commitment|credit commitment.',
  })
  entryText: string;

  @Field({
    description: 'The entry hash the chain recorded; SHA-256 of entryText unless the ledger was altered since.',
  })
  entryHash: string;

  @Field({ description: "This account's posting: account:amount:balanceAfter:version." })
  postingText: string;

  @Field({
    description:
      "The salt of this posting's commitment (hex): SHA-256(salt ‖ postingText) is its commitment in entryText.",
  })
  postingSalt: string;

  @Field(() => [ProofStep], {
    description: "The sibling hashes from the entry hash up to the checkpoint's Merkle root.",
  })
  path: ProofStep[];
}

@ObjectType({
  description:
    "A proof that an account's statement, up to a checkpoint, is in the ledger's hash chain. Check it with `npm run verify-proof` or by hand (docs/audit.md).",
})
export class StatementProof {
  @GlobalIdField('Account', { description: 'The account whose postings are proven.' })
  accountId: string;

  @Field(() => LedgerCheckpoint, {
    description: 'The checkpoint the entries are proven against: the one asked for, or the latest.',
  })
  checkpoint: LedgerCheckpoint;

  @Field(() => [LedgerCheckpoint], {
    description: 'Checkpoints 1 to this one, oldest first: each names the hash of the one before.',
  })
  checkpoints: LedgerCheckpoint[];

  @Field(() => Int64Scalar, {
    description: 'The version of the first posting covered: with 1, the proof starts from an empty account.',
  })
  fromVersion: bigint;

  @Field({
    description:
      'Whether the account has later postings within the checkpoint: ask again from the version after the last entry.',
  })
  hasMore: boolean;

  @Field(() => [StatementProofEntry], {
    description:
      'The transfers that posted to the account, up to the checkpoint, from `fromVersion` on, in version (and chain) order.',
  })
  entries: StatementProofEntry[];
}

@ObjectType({ description: 'The checkpoints recorded, or why none were.' })
export class RecordLedgerCheckpointsPayload {
  @Field(() => [LedgerCheckpoint], {
    nullable: true,
    description:
      'One per currency of the community whose chain has begun: its latest checkpoint, recorded now through what is chained, or the last one again when nothing was chained since. Empty while nothing is chained. Null when refused.',
  })
  checkpoints: LedgerCheckpoint[] | null;

  @Field(() => [IntegrityUserError], { description: 'Empty when the checkpoints were recorded.' })
  userErrors: IntegrityUserError[];
}
