import { Injectable } from '@nestjs/common';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { ChainedEntry, ChainRepository, StoredCheckpoint } from './chain.repository.js';
import { toLedgerCheckpoint } from './checkpoints.service.js';
import { StatementProofArgs } from './dto/integrity.inputs.js';
import { merklePaths } from './merkle.js';
import { StatementProof, StatementProofEntry } from './models/integrity.models.js';

/** The checkpoint whose range holds a position; checkpoints are in sequence order and cover the chain without gaps. */
function coveringCheckpoint(checkpoints: StoredCheckpoint[], position: bigint): StoredCheckpoint {
  let low = 0;
  let high = checkpoints.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (BigInt(checkpoints[middle].position) < position) low = middle + 1;
    else high = middle;
  }
  return checkpoints[low];
}

/** Proofs that an account's statement is in a checkpoint, for its holder and its community's auditors. */
@Injectable()
export class ProofsService {
  constructor(
    private readonly chain: ChainRepository,
    private readonly access: AccessPolicy,
  ) {}

  /** Null while the account's currency has no checkpoint yet. */
  async statementProof(actor: Actor, args: StatementProofArgs): Promise<StatementProof | null> {
    await this.access.requireAccount(actor, args.accountId, (facts) => this.access.mayReadHistory(actor, facts));
    const currencyId = await this.chain.currencyOfAccount(args.accountId);
    const checkpoint = args.checkpointId
      ? await this.chain.findCheckpoint(args.checkpointId)
      : await this.chain.latestCheckpoint(currencyId);
    if (checkpoint && checkpoint.currencyId !== currencyId) throw forbidden();
    if (!checkpoint) return null;
    const checkpoints = await this.chain.checkpointsThrough(currencyId, checkpoint.sequence);
    const entries = await this.chain.accountEntries(currencyId, args.accountId, {
      throughPosition: checkpoint.position,
      fromVersion: args.fromVersion,
      limit: args.first + 1,
    });
    return {
      accountId: args.accountId,
      fromVersion: args.fromVersion,
      hasMore: entries.length > args.first,
      checkpoint: toLedgerCheckpoint(checkpoint),
      checkpoints: checkpoints.map(toLedgerCheckpoint),
      entries: await this.proveEntries(currencyId, checkpoints, entries.slice(0, args.first)),
    };
  }

  /** Merkle paths for the entries, one tree per checkpoint they fall in. */
  private async proveEntries(
    currencyId: string,
    checkpoints: StoredCheckpoint[],
    entries: ChainedEntry[],
  ): Promise<StatementProofEntry[]> {
    const byCheckpoint = new Map<StoredCheckpoint, ChainedEntry[]>();
    for (const entry of entries) {
      const checkpoint = coveringCheckpoint(checkpoints, BigInt(entry.position));
      byCheckpoint.set(checkpoint, [...(byCheckpoint.get(checkpoint) ?? []), entry]);
    }
    const proved = new Map<string, StatementProofEntry>();
    for (const [checkpoint, inside] of byCheckpoint) {
      const hashes = await this.chain.entryHashes(currencyId, checkpoint.fromPosition, checkpoint.position);
      const paths = merklePaths(
        hashes,
        inside.map((entry) => Number(BigInt(entry.position) - BigInt(checkpoint.fromPosition)) - 1),
      );
      inside.forEach((entry, i) =>
        proved.set(entry.transferId, {
          transferId: entry.transferId,
          position: BigInt(entry.position),
          checkpointSequence: BigInt(checkpoint.sequence),
          // A transfer deleted underneath has no text; the proof then fails, as it should.
          entryText: entry.entryText ?? '',
          entryHash: entry.entryHash.toString('hex'),
          postingText: entry.postingText,
          postingSalt: entry.postingSalt.toString('hex'),
          path: paths[i],
        }),
      );
    }
    return entries.map((entry) => proved.get(entry.transferId)!);
  }
}
