-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.events_publish(p_limit integer)
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
  -- One statement stamps the batch's positions and fills in, on the transfers' events, what their
  -- write left out (events_announce_transfer), from the transfer: one join, set-based.
  WITH batch AS (
    SELECT o.id, CASE WHEN o.payload IS NULL AND o.aggregate_type = 'transfer' AND o.aggregate_id ~ '^[0-9]{1,18}$' THEN o.aggregate_id::bigint END AS transfer_id FROM outbox_events o
     WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (
    SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position, t.id AS transfer_id,
           c.community_id AS community_id,
           CASE WHEN t.id IS NOT NULL THEN jsonb_build_object('transferId', t.id::text, 'kind', t.kind, 'currencyId', t.currency_id::text,
                            'debitAccountId', t.debit_account_id::text, 'creditAccountId', t.credit_account_id::text,
                            'amount', t.amount::text, 'code', t.code, 'pendingId', t.pending_id::text,
                            'reversesId', t.reverses_id::text, 'timeoutAt', t.timeout_at, 'createdAt', t.created_at) END AS payload,
           CASE WHEN t.id IS NOT NULL THEN ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (t.debit_account_id, t.credit_account_id) ORDER BY m.member_id) END AS member_ids
      FROM batch b LEFT JOIN transfers t ON t.id = b.transfer_id LEFT JOIN currencies c ON c.id = t.currency_id
  )
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp(),
         community_id = CASE WHEN n.transfer_id IS NULL THEN o.community_id ELSE n.community_id END,
         payload = CASE WHEN n.transfer_id IS NULL THEN o.payload ELSE n.payload END,
         member_ids = CASE WHEN n.transfer_id IS NULL THEN o.member_ids ELSE n.member_ids END
    FROM numbered n WHERE o.id = n.id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('pumasi_events', (v_last + v_count)::text);
  END IF;
  RETURN v_count;
END $function$;
