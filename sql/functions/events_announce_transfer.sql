-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.events_announce_transfer()
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
END $function$;
