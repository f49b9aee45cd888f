-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_write_batch(p_transfers jsonb, p_account_ids bigint[], p_at timestamp with time zone)
 RETURNS TABLE(n integer, id bigint, currency_id bigint)
 LANGUAGE plpgsql
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the work.
BEGIN
  -- A plain batch (ledger_batch_is_plain) in one statement, as if written one request at a time:
  -- transfers in request order, each account's totals moved once by the batch's sum, and each
  -- posting carrying the version and balance its account reached at that request. (The statement's
  -- parts all read the accounts as they were before it.) The batch's accounts are named by id, so
  -- that the planner reads them by index, never the whole table.
  RETURN QUERY
  WITH request AS (SELECT * FROM ledger_transfer_requests(p_transfers)),
  moves AS (SELECT * FROM ledger_batch_moves(p_transfers)),
  account AS (SELECT * FROM accounts a WHERE a.id = ANY(p_account_ids)),
  written AS (
    INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo,
                           metadata, kind, timeout_at, created_at)
    SELECT r.idempotency_scope, r.idempotency_key, r.request_hash, a.currency_id, r.debit_account_id, r.credit_account_id, r.amount, r.code, r.memo,
           r.metadata, CASE WHEN r.pending THEN 'pending' ELSE 'direct' END, p_at + make_interval(secs => r.timeout_seconds), p_at
      FROM request r JOIN account a ON a.id = r.debit_account_id
     ORDER BY r.n
    RETURNING transfers.id, transfers.idempotency_scope, transfers.idempotency_key, transfers.currency_id),
  transfer AS (
    SELECT r.n, w.id, w.currency_id FROM request r
      JOIN written w ON w.idempotency_scope = r.idempotency_scope AND w.idempotency_key = r.idempotency_key),
  totals AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + m.posted_debits, posted_credits = a.posted_credits + m.posted_credits,
                          pending_debits = a.pending_debits + m.pending_debits, pending_credits = a.pending_credits + m.pending_credits,
                          version = a.version + m.postings
      FROM (SELECT m.account_id, sum(m.posted_debits) AS posted_debits, sum(m.posted_credits) AS posted_credits,
                   sum(m.pending_debits) AS pending_debits, sum(m.pending_credits) AS pending_credits, count(*) FILTER (WHERE NOT m.pending) AS postings
              FROM moves m GROUP BY m.account_id) AS m
     WHERE a.id = m.account_id AND a.id = ANY(p_account_ids)),
  posted AS (
    INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT t.id, m.account_id, t.currency_id, m.amount,
           a.posted_credits - a.posted_debits + m.posted_credits_before - m.posted_debits_before + m.amount, a.version + m.postings_before + 1, p_at
      FROM moves m JOIN transfer t ON t.n = m.n JOIN account a ON a.id = m.account_id
     WHERE NOT m.pending
     ORDER BY t.id, m.amount)
  SELECT t.n, t.id, t.currency_id FROM transfer t;
END $function$;
