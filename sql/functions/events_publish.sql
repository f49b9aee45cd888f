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
  WITH batch AS (
    SELECT o.id FROM outbox_events o WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position FROM batch b)
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp() FROM numbered n WHERE o.id = n.id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('pumasi_events', (v_last + v_count)::text);
  END IF;
  RETURN v_count;
END $function$;
