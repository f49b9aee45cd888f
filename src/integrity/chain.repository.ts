import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import type { CheckpointFields } from './merkle.js';

type Row = Record<string, unknown>;

export interface StoredCheckpoint extends CheckpointFields {
  id: string;
  checkpointHash: Buffer;
  createdAt: Date;
}

export interface ChainHead {
  position: string;
  chainHash: Buffer;
}

/** A transfer's place in the chain, its entry text as the ledger holds it now, and one account's posting in it. */
export interface ChainedEntry {
  transferId: string;
  position: string;
  entryHash: Buffer;
  entryText: string | null;
  /** The account's posting, "account:amount:balance_after:version", and the salt of its commitment. */
  postingText: string;
  postingSalt: Buffer;
}

/** The last transfer id handed out (0 before the first), as an SQL expression. */
const LAST_TRANSFER_ID = '(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM transfers_id_seq)';

/**
 * Calls `ledger_chain_extend` with what it must not read itself: the oldest running transaction,
 * then the last transfer id handed out, then a transaction id of our own (committed at once), each
 * in a statement of its own, in this order (see the function).
 */
export async function extendChain(
  query: (sql: string, params?: unknown[]) => Promise<Row[]>,
  limit: number,
): Promise<number> {
  const [{ xmin }] = await query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
  const [{ last }] = await query(`SELECT ${LAST_TRANSFER_ID} AS last`);
  const [{ xid }] = await query('SELECT pg_current_xact_id()::text AS xid');
  const [{ chained }] = await query('SELECT ledger_chain_extend($1, $2, $3, $4) AS chained', [limit, xmin, last, xid]);
  return chained as number;
}

function toCheckpoint(row: Row): StoredCheckpoint {
  return {
    id: row.id as string,
    currencyId: row.currency_id as string,
    sequence: row.sequence as string,
    fromPosition: row.from_position as string,
    position: row.position as string,
    chainHash: row.chain_hash as Buffer,
    merkleRoot: row.merkle_root as Buffer,
    previousHash: row.previous_hash as Buffer,
    checkpointHash: row.checkpoint_hash as Buffer,
    createdAt: row.created_at as Date,
  };
}

/** The hash chain of each currency and its checkpoints. */
@Injectable()
export class ChainRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** Chains up to `limit` more transfers; returns how many. */
  extend(limit: number): Promise<number> {
    return extendChain((sql, params) => this.query(sql, params), limit);
  }

  /**
   * Whether transfer ids were handed out past the chain's horizon, so that there may be transfers to
   * chain: one read, in no transaction. Not behind, `ledger_chain_extend` would chain nothing.
   */
  async behind(): Promise<boolean> {
    const [row] = await this.query(
      `SELECT chained_through < ${LAST_TRANSFER_ID} AS behind FROM ledger_chain_horizon WHERE id = 1`,
    );
    return row?.behind !== false;
  }

  /** The id up to which every transfer is chained. */
  async chainedThrough(): Promise<bigint> {
    const [row] = await this.query('SELECT chained_through FROM ledger_chain_horizon WHERE id = 1');
    return BigInt(row.chained_through as string);
  }

  /** The currency's chain head, locked so that checkpoints of one currency are recorded one at a time. */
  async lockHead(currencyId: string): Promise<ChainHead | null> {
    const [row] = await this.query('SELECT position, chain_hash FROM ledger_lock_chain_head($1)', [currencyId]);
    return row ? { position: row.position as string, chainHash: row.chain_hash as Buffer } : null;
  }

  async chainHashAt(currencyId: string, position: string): Promise<Buffer> {
    const [row] = await this.query('SELECT chain_hash FROM ledger_chain WHERE currency_id = $1 AND position = $2', [
      currencyId,
      position,
    ]);
    return row.chain_hash as Buffer;
  }

  /** The entry hashes of positions (after, through], packed 32 bytes each in chain order, in one buffer. */
  async entryHashes(currencyId: string, afterPosition: string, throughPosition: string): Promise<Buffer> {
    const [row] = await this.query(
      `SELECT string_agg(entry_hash, ''::bytea ORDER BY position) AS hashes FROM ledger_chain
        WHERE currency_id = $1 AND position > $2 AND position <= $3`,
      [currencyId, afterPosition, throughPosition],
    );
    return (row.hashes as Buffer | null) ?? Buffer.alloc(0);
  }

  async insertCheckpoint(checkpoint: Omit<StoredCheckpoint, 'id' | 'createdAt'>): Promise<StoredCheckpoint> {
    const [row] = await this.query(
      `INSERT INTO ledger_checkpoints (currency_id, sequence, from_position, position, chain_hash, merkle_root, previous_hash, checkpoint_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        checkpoint.currencyId,
        checkpoint.sequence,
        checkpoint.fromPosition,
        checkpoint.position,
        checkpoint.chainHash,
        checkpoint.merkleRoot,
        checkpoint.previousHash,
        checkpoint.checkpointHash,
      ],
    );
    return toCheckpoint(row);
  }

  /**
   * Announces a checkpoint in the outbox, in its transaction: a relay can publish its hash where the
   * server cannot rewrite it, which is what lets members trust a checkpoint.
   */
  async announceCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    const payload = {
      currencyId: checkpoint.currencyId,
      sequence: checkpoint.sequence,
      position: checkpoint.position,
      checkpointHash: checkpoint.checkpointHash.toString('hex'),
      previousHash: checkpoint.previousHash.toString('hex'),
      createdAt: checkpoint.createdAt,
    };
    await this.query(
      // Every member of the community may read it: checkpoints are what members check their statements against.
      `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, community_visible)
       SELECT 'ledger.checkpoint', 'ledger_checkpoint', $1, c.community_id, $2, true FROM currencies c WHERE c.id = $3`,
      [checkpoint.id, JSON.stringify(payload), checkpoint.currencyId],
    );
  }

  async latestCheckpoint(currencyId: string): Promise<StoredCheckpoint | null> {
    const [row] = await this.query(
      'SELECT * FROM ledger_checkpoints WHERE currency_id = $1 ORDER BY sequence DESC LIMIT 1',
      [currencyId],
    );
    return row ? toCheckpoint(row) : null;
  }

  async findCheckpoint(id: string): Promise<StoredCheckpoint | null> {
    const [row] = await this.query('SELECT * FROM ledger_checkpoints WHERE id = $1', [id]);
    return row ? toCheckpoint(row) : null;
  }

  /** A community's checkpoints (of each of its currencies), newest first. */
  async listCheckpoints(filter: {
    communityId: string;
    beforeId?: bigint;
    limit: number;
  }): Promise<StoredCheckpoint[]> {
    const params: unknown[] = [filter.communityId];
    const before = filter.beforeId === undefined ? '' : ` AND id < $${params.push(filter.beforeId.toString())}`;
    const rows = await this.query(
      `SELECT * FROM ledger_checkpoints WHERE currency_id IN (SELECT id FROM currencies WHERE community_id = $1)${before} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toCheckpoint);
  }

  async currenciesOfCommunity(communityId: string): Promise<string[]> {
    return (await this.query('SELECT id FROM currencies WHERE community_id = $1 ORDER BY id', [communityId])).map(
      (row) => row.id as string,
    );
  }

  async currencyOfAccount(accountId: string): Promise<string> {
    const [row] = await this.query('SELECT currency_id FROM accounts WHERE id = $1', [accountId]);
    return row.currency_id as string;
  }

  /** Checkpoints 1..sequence, oldest first: what links one checkpoint back to the first. */
  async checkpointsThrough(currencyId: string, sequence: string): Promise<StoredCheckpoint[]> {
    const rows = await this.query(
      'SELECT * FROM ledger_checkpoints WHERE currency_id = $1 AND sequence <= $2 ORDER BY sequence',
      [currencyId, sequence],
    );
    return rows.map(toCheckpoint);
  }

  /** Chained transfers that posted to the account, up to a position, from a version on, in version (and so chain) order. */
  async accountEntries(
    currencyId: string,
    accountId: string,
    page: { throughPosition: string; fromVersion: bigint; limit: number },
  ): Promise<ChainedEntry[]> {
    const rows = await this.query(
      `SELECT c.transfer_id, c.position, c.entry_hash,
              CASE WHEN t.id IS NOT NULL THEN ledger_entry_text(t, c.salts, d, cr) END AS entry_text,
              concat_ws(':', p.account_id, p.amount, p.balance_after, p.account_version) AS posting_text,
              substring(c.salts FROM CASE WHEN p.amount < 0 THEN 1 ELSE 17 END FOR 16) AS posting_salt
         FROM postings p JOIN ledger_chain c ON c.transfer_id = p.transfer_id
         LEFT JOIN transfers t ON t.id = c.transfer_id
         LEFT JOIN postings d ON d.transfer_id = c.transfer_id AND d.amount < 0
         LEFT JOIN postings cr ON cr.transfer_id = c.transfer_id AND cr.amount > 0
        WHERE p.account_id = $2 AND c.currency_id = $1 AND c.position <= $3 AND p.account_version >= $4
        ORDER BY p.account_version LIMIT $5`,
      [currencyId, accountId, page.throughPosition, page.fromVersion.toString(), page.limit],
    );
    return rows.map((row) => ({
      transferId: row.transfer_id as string,
      position: row.position as string,
      entryHash: row.entry_hash as Buffer,
      entryText: row.entry_text as string | null,
      postingText: row.posting_text as string,
      postingSalt: row.posting_salt as Buffer,
    }));
  }

  /**
   * Currencies whose chain has gone on past their last checkpoint by `everyEntries`, or at all
   * for longer than `maxAgeSeconds`.
   */
  async currenciesDueForCheckpoint(everyEntries: number, maxAgeSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.query(
      `SELECT h.currency_id FROM ledger_chain_heads h
         LEFT JOIN LATERAL (SELECT k.position, k.created_at FROM ledger_checkpoints k WHERE k.currency_id = h.currency_id
                             ORDER BY k.sequence DESC LIMIT 1) last ON true
        WHERE h.position >= coalesce(last.position, 0) + $1
           OR (h.position > coalesce(last.position, 0) AND coalesce(last.created_at, '-infinity') < now() - make_interval(secs => $2))
        ORDER BY h.currency_id LIMIT $3`,
      [everyEntries, maxAgeSeconds, limit],
    );
    return rows.map((row) => row.currency_id as string);
  }
}
