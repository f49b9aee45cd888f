import { createHash } from 'node:crypto';

/**
 * The hashes behind checkpoints and inclusion proofs, in one place so that the server and the
 * stand-alone verifier (`src/cli/verify-proof.ts`) cannot disagree. Only node:crypto is used, so
 * anyone can reimplement it from docs/audit.md.
 *
 * Merkle tree: a leaf is SHA-256(0x00 ‖ entry hash), an inner node SHA-256(0x01 ‖ left ‖ right)
 * (the prefixes keep leaves and nodes apart); a level's odd last node is carried up unchanged.
 */
export const ZERO_HASH = Buffer.alloc(32);

export type ProofSide = 'LEFT' | 'RIGHT';

export interface ProofStep {
  /** The sibling's hash, hex. */
  hash: string;
  /** Which side the sibling is on. */
  side: ProofSide;
}

export function sha256(...parts: (Buffer | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const HASH_BYTES = 32;

const leafHash = (entryHash: Buffer): Buffer => sha256(LEAF, entryHash);
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

/**
 * A level of the tree is packed, 32 bytes a node, in one buffer: a segment of 10,000 entries is a
 * few hundred kilobytes, not tens of thousands of small objects for the garbage collector.
 */
const nodeAt = (level: Buffer, index: number): Buffer => level.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
const width = (level: Buffer): number => level.length / HASH_BYTES;

function leaves(entryHashes: Buffer): Buffer {
  const level = Buffer.allocUnsafe(entryHashes.length);
  for (let i = 0; i < width(entryHashes); i++) leafHash(nodeAt(entryHashes, i)).copy(level, i * HASH_BYTES);
  return level;
}

function nextLevel(level: Buffer): Buffer {
  const next = Buffer.allocUnsafe(Math.ceil(width(level) / 2) * HASH_BYTES);
  for (let i = 0; i < width(level); i += 2) {
    const node = i + 1 < width(level) ? nodeHash(nodeAt(level, i), nodeAt(level, i + 1)) : nodeAt(level, i);
    node.copy(next, (i / 2) * HASH_BYTES);
  }
  return next;
}

/** The root over entry hashes packed 32 bytes each, in chain order. */
export function merkleRoot(entryHashes: Buffer): Buffer {
  if (entryHashes.length === 0) throw new Error('a Merkle tree needs at least one entry');
  let level = leaves(entryHashes);
  while (width(level) > 1) level = nextLevel(level);
  return Buffer.from(level);
}

/** The siblings from the leaf at `index` up to the root, for each of `indexes` (one pass over the tree). */
export function merklePaths(entryHashes: Buffer, indexes: number[]): ProofStep[][] {
  const paths = indexes.map((): ProofStep[] => []);
  const positions = [...indexes];
  let level = leaves(entryHashes);
  while (width(level) > 1) {
    positions.forEach((position, k) => {
      const sibling = position ^ 1;
      if (sibling < width(level))
        paths[k].push({ hash: nodeAt(level, sibling).toString('hex'), side: position % 2 === 0 ? 'RIGHT' : 'LEFT' });
      positions[k] = position >> 1;
    });
    level = nextLevel(level);
  }
  return paths;
}

/** The root that an entry hash and its path lead to. */
export function foldPath(entryHash: Buffer, path: ProofStep[]): Buffer {
  return path.reduce((hash, step) => {
    const sibling = Buffer.from(step.hash, 'hex');
    return step.side === 'LEFT' ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
  }, leafHash(entryHash));
}

export interface CheckpointFields {
  currencyId: string;
  sequence: string;
  fromPosition: string;
  position: string;
  chainHash: Buffer;
  merkleRoot: Buffer;
  previousHash: Buffer;
}

/** What a checkpoint's hash is the SHA-256 of; it names the previous checkpoint's hash, so one hash vouches for all before it. */
export function checkpointText(fields: CheckpointFields): string {
  return [
    'pumasi-checkpoint-v1',
    fields.currencyId,
    fields.sequence,
    fields.fromPosition,
    fields.position,
    fields.chainHash.toString('hex'),
    fields.merkleRoot.toString('hex'),
    fields.previousHash.toString('hex'),
  ].join('|');
}

export function checkpointHash(fields: CheckpointFields): Buffer {
  return sha256(checkpointText(fields));
}
