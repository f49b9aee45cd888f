-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.events_announce_transfer()
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
END $function$;
