-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- One statement, one UPDATE: each account's totals and version move, and its posting records what
  -- they became (the debit's first). One UPDATE, not one per side, so that the accounts' CHECK
  -- constraints are prepared once.
  WITH moved AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + CASE WHEN a.id = p_debit_account_id THEN p_amount ELSE 0 END,
                          posted_credits = a.posted_credits + CASE WHEN a.id = p_credit_account_id THEN p_amount ELSE 0 END,
                          version = a.version + 1
     WHERE a.id IN (p_debit_account_id, p_credit_account_id)
    RETURNING a.id, a.currency_id, a.posted_credits - a.posted_debits AS balance, a.version)
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT p_transfer_id, m.id, m.currency_id, CASE WHEN m.id = p_debit_account_id THEN -p_amount ELSE p_amount END, m.balance, m.version, p_at
      FROM moved m
     ORDER BY m.id = p_credit_account_id;
END $function$;
