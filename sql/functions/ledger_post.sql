-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_currency_id bigint;
  v_debit_balance bigint;
  v_debit_version bigint;
  v_credit_balance bigint;
  v_credit_version bigint;
BEGIN
  UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version, a.currency_id INTO v_debit_balance, v_debit_version, v_currency_id;
  UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version INTO v_credit_balance, v_credit_version;
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at) VALUES
    (p_transfer_id, p_debit_account_id, v_currency_id, -p_amount, v_debit_balance, v_debit_version, p_at),
    (p_transfer_id, p_credit_account_id, v_currency_id, p_amount, v_credit_balance, v_credit_version, p_at);
END $function$;
