import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { ChainRepository, StoredCheckpoint } from './chain.repository.js';
import { CheckpointsArgs } from './dto/integrity.inputs.js';
import { checkpointHash, merkleRoot, ZERO_HASH } from './merkle.js';
import { LedgerCheckpoint } from './models/integrity.models.js';

/**
 * A checkpoint is due after this many new entries, or after an hour with any; and covers this many
 * at most, so that a checkpoint or a proof never holds more than one segment's hashes in memory.
 */
export const CHECKPOINT_EVERY_ENTRIES = 10_000;
export const CHECKPOINT_MAX_AGE_SECONDS = 3600;

export function toLedgerCheckpoint(stored: StoredCheckpoint): LedgerCheckpoint {
  return {
    id: stored.id,
    currencyId: stored.currencyId,
    sequence: BigInt(stored.sequence),
    fromPosition: BigInt(stored.fromPosition),
    position: BigInt(stored.position),
    chainHash: stored.chainHash.toString('hex'),
    merkleRoot: stored.merkleRoot.toString('hex'),
    previousHash: stored.previousHash.toString('hex'),
    checkpointHash: stored.checkpointHash.toString('hex'),
    createdAt: stored.createdAt,
  };
}

/** Checkpoints of each currency's chain: recorded on a schedule and on a manager's demand. */
@Injectable()
export class CheckpointsService {
  constructor(
    private readonly chain: ChainRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
  ) {}

  /** Members of the community and its auditors: members need them to check their proofs. */
  async list(actor: Actor, args: CheckpointsArgs): Promise<Connection<LedgerCheckpoint>> {
    this.access.requireAuthenticated(actor);
    if (
      !(await this.access.isActiveMember(actor, args.communityId)) &&
      !(await this.access.mayAudit(actor, args.communityId))
    )
      throw forbidden();
    const beforeId = decodeCursor(args.after);
    const rows = await this.chain.listCheckpoints({ communityId: args.communityId, beforeId, limit: args.first + 1 });
    return toConnection(
      rows.map(toLedgerCheckpoint),
      args.first,
      (checkpoint) => BigInt(checkpoint.id),
      (checkpoint) => checkpoint,
      beforeId === undefined,
    );
  }

  /** A manager records a checkpoint of each of the community's currencies now (of what is chained so far); audited. */
  async recordOnDemand(actor: Actor, communityId: string): Promise<LedgerCheckpoint[]> {
    const role = await this.access.requireManager(actor, communityId);
    return this.db.transaction(async () => {
      const recorded: LedgerCheckpoint[] = [];
      for (const currencyId of await this.chain.currenciesOfCommunity(communityId)) {
        const checkpoint = await this.record(currencyId);
        if (checkpoint) recorded.push(toLedgerCheckpoint(checkpoint));
      }
      await this.audit.record(actor, {
        as: role,
        action: 'ledger.checkpoint',
        communityId,
        targetType: 'community',
        targetId: communityId,
        details: {
          checkpoints: recorded.map(({ id, sequence, position, checkpointHash }) => ({
            id,
            sequence: sequence.toString(),
            position: position.toString(),
            checkpointHash,
          })),
        },
      });
      return recorded;
    });
  }

  /** For the schedule: checkpoints the currencies that are due, each as far as its chain goes; returns how many currencies. */
  async recordDue(limit: number): Promise<number> {
    const due = await this.chain.currenciesDueForCheckpoint(
      CHECKPOINT_EVERY_ENTRIES,
      CHECKPOINT_MAX_AGE_SECONDS,
      limit,
    );
    for (const currencyId of due) await this.record(currencyId);
    return due.length;
  }

  /**
   * Checkpoints the currency's chain as far as it goes, a segment of at most CHECKPOINT_EVERY_ENTRIES
   * per checkpoint, each in its own transaction under the head's lock. Returns the latest checkpoint
   * (an earlier one when nothing was chained since), and null while the chain is empty.
   */
  private async record(currencyId: string): Promise<StoredCheckpoint | null> {
    for (;;) {
      const { latest, caughtUp } = await this.db.transaction(() => this.recordSegment(currencyId));
      if (caughtUp) return latest;
    }
  }

  private async recordSegment(currencyId: string): Promise<{ latest: StoredCheckpoint | null; caughtUp: boolean }> {
    const head = await this.chain.lockHead(currencyId);
    const last = await this.chain.latestCheckpoint(currencyId);
    if (!head || head.position === last?.position) return { latest: last, caughtUp: true };
    const fromPosition = last?.position ?? '0';
    const position =
      BigInt(head.position) - BigInt(fromPosition) > CHECKPOINT_EVERY_ENTRIES
        ? (BigInt(fromPosition) + BigInt(CHECKPOINT_EVERY_ENTRIES)).toString()
        : head.position;
    const hashes = await this.chain.entryHashes(currencyId, fromPosition, position);
    const fields = {
      currencyId,
      sequence: (BigInt(last?.sequence ?? 0) + 1n).toString(),
      fromPosition,
      position,
      chainHash: position === head.position ? head.chainHash : await this.chain.chainHashAt(currencyId, position),
      merkleRoot: merkleRoot(hashes),
      previousHash: last?.checkpointHash ?? ZERO_HASH,
    };
    const latest = await this.chain.insertCheckpoint({ ...fields, checkpointHash: checkpointHash(fields) });
    await this.chain.announceCheckpoint(latest);
    return { latest, caughtUp: position === head.position };
  }
}
