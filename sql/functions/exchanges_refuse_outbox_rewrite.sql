-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.exchanges_refuse_outbox_rewrite()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Publishing stamps published_at once; nothing else about an event may change, and none may go.
  IF TG_OP = 'UPDATE' AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.community_id, NEW.payload, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.community_id, OLD.payload, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $function$;
