-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.rate_limit_take(p_keys text[], p_limits integer[], p_window_seconds integer[])
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_now timestamptz := clock_timestamp();
  v_retry_after integer;
BEGIN
  DELETE FROM rate_limit_counters WHERE key IN (
    SELECT key FROM rate_limit_counters WHERE window_ends_at < v_now - interval '1 day' AND key <> ALL (p_keys)
     ORDER BY window_ends_at LIMIT 10 FOR UPDATE SKIP LOCKED);

  INSERT INTO rate_limit_counters (key, hits, window_ends_at)
  SELECT key, 0, v_now FROM unnest(p_keys) AS key ORDER BY key
  ON CONFLICT (key) DO NOTHING;

  SELECT coalesce(max(ceil(extract(epoch FROM counter.window_ends_at - v_now))), 0)::integer INTO v_retry_after
    FROM (SELECT * FROM rate_limit_counters WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE) AS counter
    JOIN unnest(p_keys, p_limits) AS limits(key, max_hits) USING (key)
   WHERE counter.window_ends_at > v_now AND counter.hits >= limits.max_hits;
  IF v_retry_after > 0 THEN
    RETURN v_retry_after;
  END IF;

  UPDATE rate_limit_counters AS counter
     SET hits = CASE WHEN counter.window_ends_at > v_now THEN counter.hits + 1 ELSE 1 END,
         window_ends_at = CASE WHEN counter.window_ends_at > v_now THEN counter.window_ends_at ELSE v_now + make_interval(secs => windows.seconds) END
    FROM unnest(p_keys, p_window_seconds) AS windows(key, seconds)
   WHERE counter.key = windows.key;
  RETURN 0;
END $function$;
