-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- One statement: each account's totals and version move, and its posting records what they became.
  WITH debit AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.currency_id, a.posted_credits - a.posted_debits AS balance, a.version),
  credit AS (
    UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits AS balance, a.version)
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT p_transfer_id, p_debit_account_id, debit.currency_id, -p_amount, debit.balance, debit.version, p_at FROM debit
    UNION ALL
    SELECT p_transfer_id, p_credit_account_id, debit.currency_id, p_amount, credit.balance, credit.version, p_at FROM debit, credit;
END $function$;
