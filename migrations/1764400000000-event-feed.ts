import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, part 1: the outbox becomes a replayable event feed.
 * - Each event records the transaction that wrote it (`xid`, pg_current_xact_id() as a bigint, as
 *   the chain's horizon keeps it) and whom it is about (`member_ids`, `community_visible`).
 * - A relay (`events_publish`, one at a time across replicas) stamps a publication `position` on
 *   the events of transactions that ended below the oldest running one, in id order, so that no
 *   event can appear below a position a reader has seen, however late its transaction commits.
 * - Every transfer announces itself, from a trigger on transfers: every way money moves (the
 *   four ledger functions) is covered by one definition, in the transfer's transaction.
 * The service no longer sets `published_at` itself: the relay's function stamps it, with the
 * position, as the owner; the service may only append, read, and call the relay.
 */
export class EventFeed1764400000000 implements MigrationInterface {
  name = 'EventFeed1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "outbox_events" ADD "xid" bigint NOT NULL DEFAULT (pg_current_xact_id())::text::bigint`,
    );
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "position" bigint`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "member_ids" bigint array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "community_visible" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_outbox_events_position" ON "outbox_events" ("position") WHERE "position" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_events_community_position" ON "outbox_events" ("community_id", "position") WHERE "position" IS NOT NULL`,
    );
    // Events written before the relay existed are published now, in id order: their transactions are over.
    await queryRunner.query(
      `UPDATE outbox_events o SET position = n.position, published_at = coalesce(o.published_at, now())
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM outbox_events) n WHERE o.id = n.id`,
    );
    await queryRunner.query(REFUSE_OUTBOX_REWRITE);
    await queryRunner.query(PUBLISH);
    await queryRunner.query(ANNOUNCE_TRANSFER);
    await queryRunner.query(
      `CREATE TRIGGER transfers_announce AFTER INSERT ON transfers FOR EACH ROW EXECUTE FUNCTION events_announce_transfer()`,
    );
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION events_announce_transfer() FROM PUBLIC');
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION events_publish(integer) FROM PUBLIC');
    await queryRunner.query('GRANT EXECUTE ON FUNCTION events_publish(integer) TO pumasi_service');
    await queryRunner.query('REVOKE UPDATE (published_at) ON outbox_events FROM pumasi_service');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('GRANT UPDATE (published_at) ON outbox_events TO pumasi_service');
    await queryRunner.query('DROP TRIGGER transfers_announce ON transfers');
    await queryRunner.query('DROP FUNCTION events_announce_transfer()');
    await queryRunner.query('DROP FUNCTION events_publish(integer)');
    await queryRunner.query(PREVIOUS_REFUSE_OUTBOX_REWRITE);
    await queryRunner.query(`DROP INDEX "IDX_outbox_events_community_position"`);
    await queryRunner.query(`DROP INDEX "IDX_outbox_events_position"`);
    // The trigger refuses changes to events; it is off while their new columns go.
    await queryRunner.query('ALTER TABLE outbox_events DISABLE TRIGGER outbox_events_append_only');
    for (const column of ['community_visible', 'member_ids', 'position', 'xid'])
      await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "${column}"`);
    await queryRunner.query('ALTER TABLE outbox_events ENABLE TRIGGER outbox_events_append_only');
  }
}

/** Publishing stamps position and published_at together, once; nothing else about an event may change, and none may go. */
const REFUSE_OUTBOX_REWRITE = `CREATE OR REPLACE FUNCTION exchanges_refuse_outbox_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.position IS NULL AND NEW.position IS NOT NULL
     AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.community_id, NEW.payload, NEW.created_at,
          NEW.xid, NEW.member_ids, NEW.community_visible)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.community_id, OLD.payload, OLD.created_at,
          OLD.xid, OLD.member_ids, OLD.community_visible) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $$`;

const PREVIOUS_REFUSE_OUTBOX_REWRITE = `CREATE OR REPLACE FUNCTION exchanges_refuse_outbox_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Publishing stamps published_at once; nothing else about an event may change, and none may go.
  IF TG_OP = 'UPDATE' AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.community_id, NEW.payload, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.community_id, OLD.payload, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $$`;

/**
 * The relay: publishes up to p_limit events, returning how many, and wakes listeners on channel
 * pumasi_events with the last position (delivered at commit).
 * - One relay at a time across replicas (a transaction-scoped advisory lock), so positions are
 *   handed out by one writer and each batch starts after the last committed one.
 * - Only events whose transaction ended before the oldest one still running (the horizon, read
 *   after the lock, in a statement of its own, so that every transaction below it is visible to
 *   the statements that follow): a transaction that took an early id and commits late is still
 *   running, so the horizon stays at or below it, and its events are published after it commits,
 *   at a position above everything published before. A position is never handed out below one
 *   already committed, so a reader who saw position P never later finds an event below P.
 * - The stamp commits with the positions, or neither does: a relay that dies leaves its batch to
 *   the next one (at least once, in the same order).
 */
const PUBLISH = `CREATE FUNCTION events_publish(p_limit integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  v_horizon bigint;
  v_last bigint;
  v_count integer;
BEGIN
  PERFORM pg_advisory_xact_lock(7302, 1);
  v_horizon := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
  SELECT coalesce(max(o.position), 0) INTO v_last FROM outbox_events o WHERE o.position IS NOT NULL;
  WITH batch AS (
    SELECT o.id FROM outbox_events o WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position FROM batch b)
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp() FROM numbered n WHERE o.id = n.id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('pumasi_events', (v_last + v_count)::text);
  END IF;
  RETURN v_count;
END $$`;

/**
 * One event per transfer, in its transaction: transfer.pending (a hold), transfer.posted (a direct
 * transfer, or a hold posted), transfer.voided (a hold voided or expired), transfer.reversed (a
 * reversing transfer). Ids are bare database ids, as in every outbox payload; the feed shows them
 * as global ids. The holders of both accounts may see it, and the community's auditors.
 */
const ANNOUNCE_TRANSFER = `CREATE FUNCTION events_announce_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, member_ids)
  SELECT CASE WHEN NEW.reverses_id IS NOT NULL THEN 'transfer.reversed'
              WHEN NEW.kind = 'pending' THEN 'transfer.pending'
              WHEN NEW.kind = 'void_pending' THEN 'transfer.voided'
              ELSE 'transfer.posted' END,
         'transfer', NEW.id::text, c.community_id,
         jsonb_build_object('transferId', NEW.id::text, 'kind', NEW.kind, 'currencyId', NEW.currency_id::text,
                            'debitAccountId', NEW.debit_account_id::text, 'creditAccountId', NEW.credit_account_id::text,
                            'amount', NEW.amount::text, 'code', NEW.code, 'pendingId', NEW.pending_id::text,
                            'reversesId', NEW.reverses_id::text, 'timeoutAt', NEW.timeout_at, 'createdAt', NEW.created_at),
         ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (NEW.debit_account_id, NEW.credit_account_id) ORDER BY m.member_id)
    FROM currencies c WHERE c.id = NEW.currency_id;
  RETURN NULL;
END $$`;
