import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, the outbox row off the ledger's hot path. A transfer's event was written whole by its
 * statement (its payload built, its community read from the currency, its audience from the
 * accounts' memberships), while the transfer held both accounts' locks. A transfer never changes,
 * so all of that can be derived from it later. Now:
 * - The write appends only what names the event: its topic, and the transfer (events_announce_transfer).
 *   Its payload, community_id and member_ids stay NULL, NULL and '{}'.
 * - The relay fills them in, set-based, in the one UPDATE that publishes the batch (events_publish),
 *   from transfers, currencies and memberships: the same expressions as before, so the same values.
 *   Only published events are ever read (position NOT NULL: the feed, subscriptions and webhooks all
 *   read through EventsRepository.page), so no reader sees an event without them.
 * - A CHECK keeps an event without a payload to an unpublished transfer event: an event is never
 *   published without one.
 * - The append-only trigger lets the publication fill them in, once (position goes from NULL to a
 *   value once), on an event that had no payload; every other change stays refused.
 * The audience is the accounts' members when the event is published, not when the transfer was
 * written. They are the same: an account has at most one membership (unique account_id), a
 * membership is inserted with its new account before any transfer can name it, and the service may
 * not delete one. Nor may it now re-point one: it may update only a membership's standing (role,
 * status and their dates), which is all it ever changed, not its member, account or community.
 */
export class TransferEventsFilledAtPublication1764510000000 implements MigrationInterface {
  name = 'TransferEventsFilledAtPublication1764510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_events ALTER COLUMN payload DROP NOT NULL');
    await queryRunner.query(
      `ALTER TABLE outbox_events ADD CONSTRAINT "${PAYLOAD_CHECK}" CHECK (${PAYLOAD_CHECK_DEFINITION})`,
    );
    await queryRunner.query(REFUSE_OUTBOX_REWRITE);
    await queryRunner.query(PUBLISH);
    await queryRunner.query(ANNOUNCE_TRANSFER);
    await queryRunner.query('REVOKE UPDATE ON memberships FROM pumasi_service');
    await queryRunner.query(`GRANT UPDATE (${MEMBERSHIP_STANDING}) ON memberships TO pumasi_service`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE UPDATE (${MEMBERSHIP_STANDING}) ON memberships FROM pumasi_service`);
    await queryRunner.query('GRANT UPDATE ON memberships TO pumasi_service');
    await queryRunner.query(OLD_ANNOUNCE_TRANSFER);
    await queryRunner.query(OLD_PUBLISH);
    await queryRunner.query(OLD_REFUSE_OUTBOX_REWRITE);
    // Events still waiting for the relay get what their write used to give them, as the owner.
    await queryRunner.query('ALTER TABLE outbox_events DISABLE TRIGGER outbox_events_append_only');
    await queryRunner.query(
      `UPDATE outbox_events o SET community_id = ${FILLED.communityId}, payload = ${FILLED.payload}, member_ids = ${FILLED.memberIds}
         FROM transfers t JOIN currencies c ON c.id = t.currency_id WHERE t.id = ${ANNOUNCED_TRANSFER('o')}`,
    );
    await queryRunner.query('ALTER TABLE outbox_events ENABLE TRIGGER outbox_events_append_only');
    await queryRunner.query(`ALTER TABLE outbox_events DROP CONSTRAINT "${PAYLOAD_CHECK}"`);
    await queryRunner.query('ALTER TABLE outbox_events ALTER COLUMN payload SET NOT NULL');
  }
}

/** What of a membership changes over its life (MembersRepository.updateMembership). */
const MEMBERSHIP_STANDING = 'role, status, approved_at, closed_at';

const PAYLOAD_CHECK = 'CHK_outbox_events_payload';
/** As the entity spells it (OutboxEventEntity), so that migrations:check finds them equal. */
const PAYLOAD_CHECK_DEFINITION = `"payload" IS NOT NULL OR ("position" IS NULL AND "aggregate_type" = 'transfer')`;

/**
 * Which transfer an event written without its payload announces (events_announce_transfer), else
 * NULL. The id is checked before the cast, so that a malformed row cannot fail the publication's
 * statement with a cast error: it stays without a payload, and the CHECK refuses to publish it.
 */
const ANNOUNCED_TRANSFER = (event: string): string =>
  `CASE WHEN ${event}.payload IS NULL AND ${event}.aggregate_type = 'transfer' AND ${event}.aggregate_id ~ '^[0-9]{1,18}$' THEN ${event}.aggregate_id::bigint END`;

/**
 * What events_announce_transfer wrote before into a transfer's event, from transfer `t` and its
 * currency `c`: the same expressions, so the same values.
 */
const FILLED = {
  communityId: 'c.community_id',
  payload: `jsonb_build_object('transferId', t.id::text, 'kind', t.kind, 'currencyId', t.currency_id::text,
                            'debitAccountId', t.debit_account_id::text, 'creditAccountId', t.credit_account_id::text,
                            'amount', t.amount::text, 'code', t.code, 'pendingId', t.pending_id::text,
                            'reversesId', t.reverses_id::text, 'timeoutAt', t.timeout_at, 'createdAt', t.created_at)`,
  memberIds:
    'ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (t.debit_account_id, t.credit_account_id) ORDER BY m.member_id)',
};

const ANNOUNCE_TRANSFER = `CREATE OR REPLACE FUNCTION public.events_announce_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Once per statement, for all the transfers it wrote, in id order (a batch is one insert): which
  -- event, about which transfer. The transfer never changes, so the relay derives the payload, the
  -- community and the audience from it as it publishes (events_publish), off the accounts' locks.
  INSERT INTO outbox_events (topic, aggregate_type, aggregate_id)
  SELECT CASE WHEN n.reverses_id IS NOT NULL THEN 'transfer.reversed'
              WHEN n.kind = 'pending' THEN 'transfer.pending'
              WHEN n.kind = 'void_pending' THEN 'transfer.voided'
              ELSE 'transfer.posted' END,
         'transfer', n.id::text
    FROM new_transfers n
   ORDER BY n.id;
  RETURN NULL;
END $function$`;

const OLD_ANNOUNCE_TRANSFER = `CREATE OR REPLACE FUNCTION public.events_announce_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Once per statement, for all the transfers it wrote, in id order (a batch is one insert).
  INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, member_ids)
  SELECT CASE WHEN n.reverses_id IS NOT NULL THEN 'transfer.reversed'
              WHEN n.kind = 'pending' THEN 'transfer.pending'
              WHEN n.kind = 'void_pending' THEN 'transfer.voided'
              ELSE 'transfer.posted' END,
         'transfer', n.id::text, c.community_id,
         jsonb_build_object('transferId', n.id::text, 'kind', n.kind, 'currencyId', n.currency_id::text,
                            'debitAccountId', n.debit_account_id::text, 'creditAccountId', n.credit_account_id::text,
                            'amount', n.amount::text, 'code', n.code, 'pendingId', n.pending_id::text,
                            'reversesId', n.reverses_id::text, 'timeoutAt', n.timeout_at, 'createdAt', n.created_at),
         ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (n.debit_account_id, n.credit_account_id) ORDER BY m.member_id)
    FROM new_transfers n JOIN currencies c ON c.id = n.currency_id
   ORDER BY n.id;
  RETURN NULL;
END $function$`;

/** events_publish as 1764470000000 left it, with the UPDATE given. */
const publish = (update: string): string => `CREATE OR REPLACE FUNCTION public.events_publish(p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_snapshot pg_snapshot;
  v_horizon bigint;
  v_last bigint;
  v_count integer;
BEGIN
  PERFORM pg_advisory_xact_lock(7302, 1);
  v_snapshot := pg_current_snapshot();
  SELECT coalesce(min(x.xid::text::bigint), pg_snapshot_xmax(v_snapshot)::text::bigint) INTO v_horizon
    FROM pg_snapshot_xip(v_snapshot) AS x(xid)
   WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                      WHERE a.backend_xid::text::bigint = x.xid::text::bigint % 4294967296
                        AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()));
  SELECT coalesce(max(o.position), 0) INTO v_last FROM outbox_events o WHERE o.position IS NOT NULL;
  ${update}
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('pumasi_events', (v_last + v_count)::text);
  END IF;
  RETURN v_count;
END $function$`;

const PUBLISH =
  publish(`-- One statement stamps the batch's positions and fills in, on the transfers' events, what their
  -- write left out (events_announce_transfer), from the transfer: one join, set-based.
  WITH batch AS (
    SELECT o.id, ${ANNOUNCED_TRANSFER('o')} AS transfer_id FROM outbox_events o
     WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (
    SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position, t.id AS transfer_id,
           ${FILLED.communityId} AS community_id,
           CASE WHEN t.id IS NOT NULL THEN ${FILLED.payload} END AS payload,
           CASE WHEN t.id IS NOT NULL THEN ${FILLED.memberIds} END AS member_ids
      FROM batch b LEFT JOIN transfers t ON t.id = b.transfer_id LEFT JOIN currencies c ON c.id = t.currency_id
  )
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp(),
         community_id = CASE WHEN n.transfer_id IS NULL THEN o.community_id ELSE n.community_id END,
         payload = CASE WHEN n.transfer_id IS NULL THEN o.payload ELSE n.payload END,
         member_ids = CASE WHEN n.transfer_id IS NULL THEN o.member_ids ELSE n.member_ids END
    FROM numbered n WHERE o.id = n.id;`);

const OLD_PUBLISH = publish(`WITH batch AS (
    SELECT o.id FROM outbox_events o WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position FROM batch b)
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp() FROM numbered n WHERE o.id = n.id;`);

/** The append-only rule, with the one change allowed to the publication given. */
const refuseOutboxRewrite = (
  filled: string,
): string => `CREATE OR REPLACE FUNCTION public.exchanges_refuse_outbox_rewrite()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.position IS NULL AND NEW.position IS NOT NULL
     AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     ${filled} THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $function$`;

const REFUSE_OUTBOX_REWRITE =
  refuseOutboxRewrite(`AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.created_at, NEW.xid, NEW.community_visible)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.created_at, OLD.xid, OLD.community_visible)
     -- A transfer's event gets its payload, community and audience as it is published (events_publish);
     -- any other keeps them. Published once, so filled in once.
     AND (OLD.payload IS NULL
          OR (NEW.community_id, NEW.payload, NEW.member_ids) IS NOT DISTINCT FROM (OLD.community_id, OLD.payload, OLD.member_ids))`);

const OLD_REFUSE_OUTBOX_REWRITE =
  refuseOutboxRewrite(`AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.community_id, NEW.payload, NEW.created_at,
          NEW.xid, NEW.member_ids, NEW.community_visible)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.community_id, OLD.payload, OLD.created_at,
          OLD.xid, OLD.member_ids, OLD.community_visible)`);
