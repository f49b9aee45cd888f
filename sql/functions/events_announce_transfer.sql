-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.events_announce_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
END $function$;
