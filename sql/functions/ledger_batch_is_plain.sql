-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_batch_is_plain(p_transfers jsonb, p_account_ids bigint[])
 RETURNS boolean
 LANGUAGE plpgsql
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the work.
DECLARE
  v_keys_free boolean;
BEGIN
  -- Every key claimed (locked, then looked up), in one order whatever the batch's, so that two
  -- batches reusing each other's keys cannot deadlock.
  SELECT bool_and(claim.outcome IS NULL) INTO v_keys_free
    FROM (SELECT (ledger_claim_key(r.idempotency_scope, r.idempotency_key, r.request_hash)).outcome
            FROM ledger_transfer_requests(p_transfers) r
           ORDER BY hashtext(r.idempotency_scope || ' ' || r.idempotency_key), r.idempotency_scope, r.idempotency_key) AS claim;
  -- Plain: every key new and used once in the batch, every payer a holder, and no request refused
  -- given what the requests before it move on its accounts (read by id: p_account_ids are the batch's).
  RETURN v_keys_free AND NOT EXISTS (
    WITH moves AS (SELECT * FROM ledger_batch_moves(p_transfers)),
    account AS (SELECT * FROM accounts a WHERE a.id = ANY(p_account_ids))
    SELECT 1
      FROM (SELECT r.*, count(*) OVER (PARTITION BY r.idempotency_scope, r.idempotency_key) AS uses
              FROM ledger_transfer_requests(p_transfers) r) AS r
      LEFT JOIN moves md ON md.n = r.n AND md.account_id = r.debit_account_id AND md.amount < 0
      LEFT JOIN moves mc ON mc.n = r.n AND mc.account_id = r.credit_account_id AND mc.amount > 0
      LEFT JOIN account d ON d.id = r.debit_account_id
      LEFT JOIN account c ON c.id = r.credit_account_id
     WHERE r.uses > 1 OR ledger_payer_refused(r.body)
        OR ledger_refusal(ledger_account_moved(d, md.posted_debits_before, md.posted_credits_before, md.pending_debits_before, md.pending_credits_before),
                          ledger_account_moved(c, mc.posted_debits_before, mc.posted_credits_before, mc.pending_debits_before, mc.pending_credits_before),
                          r.amount, true, r.pending, 0) IS NOT NULL);
END $function$;
