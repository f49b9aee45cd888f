-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean, p_pending boolean DEFAULT false, p_released bigint DEFAULT 0)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
  v_debit accounts%ROWTYPE;
  v_credit accounts%ROWTYPE;
  v_posted bigint := CASE WHEN p_pending THEN 0 ELSE p_amount END;
  v_reserved bigint := CASE WHEN p_pending THEN p_amount ELSE -p_released END;
BEGIN
  SELECT * INTO v_debit FROM accounts a WHERE a.id = p_debit_account_id;
  SELECT * INTO v_credit FROM accounts a WHERE a.id = p_credit_account_id;
  RETURN CASE
    WHEN p_amount <= 0 THEN 'amount_must_be_positive'
    WHEN p_debit_account_id = p_credit_account_id THEN 'same_account'
    WHEN v_debit.id IS NULL THEN 'debit_account_not_found'
    WHEN v_credit.id IS NULL THEN 'credit_account_not_found'
    WHEN v_debit.currency_id <> v_credit.currency_id THEN 'currency_mismatch'
    WHEN v_debit.status = 'closed' THEN 'debit_account_closed'
    WHEN v_credit.status = 'closed' THEN 'credit_account_closed'
    WHEN v_debit.status = 'frozen' THEN 'debit_account_frozen'
    WHEN v_credit.status = 'frozen' THEN 'credit_account_frozen'
    -- Its own WHEN, evaluated first: the sums below assume an amount within range.
    WHEN p_amount > 9007199254740991 THEN 'balance_out_of_range'
    WHEN NOT ledger_totals_in_range(v_debit.posted_debits + v_posted, v_debit.posted_credits, v_debit.pending_debits + v_reserved, v_debit.pending_credits)
      OR NOT ledger_totals_in_range(v_credit.posted_debits, v_credit.posted_credits + v_posted, v_credit.pending_debits, v_credit.pending_credits + v_reserved)
      THEN 'balance_out_of_range'
    WHEN p_check_limits AND v_debit.lower_limit IS NOT NULL
         AND v_debit.posted_credits - v_debit.posted_debits - v_debit.pending_debits - p_amount < v_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN p_check_limits AND v_credit.upper_limit IS NOT NULL
         AND v_credit.posted_credits + v_credit.pending_credits - v_credit.posted_debits + p_amount > v_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
END $function$;
