-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.events_publish(p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
END $function$;
