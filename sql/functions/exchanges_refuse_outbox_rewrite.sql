-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.exchanges_refuse_outbox_rewrite()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.position IS NULL AND NEW.position IS NOT NULL
     AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.created_at, NEW.xid, NEW.community_visible)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.created_at, OLD.xid, OLD.community_visible)
     -- A transfer's event gets its payload, community and audience as it is published (events_publish);
     -- any other keeps them. Published once, so filled in once.
     AND (OLD.payload IS NULL
          OR (NEW.community_id, NEW.payload, NEW.member_ids) IS NOT DISTINCT FROM (OLD.community_id, OLD.payload, OLD.member_ids)) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $function$;
