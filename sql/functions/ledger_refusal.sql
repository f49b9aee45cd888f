-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_refusal(p_debit accounts, p_credit accounts, p_amount bigint, p_check_limits boolean, p_pending boolean, p_released bigint)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
  v_posted bigint := CASE WHEN p_pending THEN 0 ELSE p_amount END;
  v_reserved bigint := CASE WHEN p_pending THEN p_amount ELSE -p_released END;
BEGIN
  -- Why a transfer between these two accounts, as they are (a missing one has a null id), is refused, if it is.
  RETURN CASE
    WHEN p_amount <= 0 THEN 'amount_must_be_positive'
    WHEN p_debit.id = p_credit.id THEN 'same_account'
    WHEN p_debit.id IS NULL THEN 'debit_account_not_found'
    WHEN p_credit.id IS NULL THEN 'credit_account_not_found'
    WHEN p_debit.currency_id <> p_credit.currency_id THEN 'currency_mismatch'
    WHEN p_debit.status = 'closed' THEN 'debit_account_closed'
    WHEN p_credit.status = 'closed' THEN 'credit_account_closed'
    WHEN p_debit.status = 'frozen' THEN 'debit_account_frozen'
    WHEN p_credit.status = 'frozen' THEN 'credit_account_frozen'
    -- Its own WHEN, evaluated first: the sums below assume an amount within range.
    WHEN p_amount > 9007199254740991 THEN 'balance_out_of_range'
    WHEN NOT ledger_totals_in_range(p_debit.posted_debits + v_posted, p_debit.posted_credits, p_debit.pending_debits + v_reserved, p_debit.pending_credits)
      OR NOT ledger_totals_in_range(p_credit.posted_debits, p_credit.posted_credits + v_posted, p_credit.pending_debits, p_credit.pending_credits + v_reserved)
      THEN 'balance_out_of_range'
    WHEN p_check_limits AND p_debit.lower_limit IS NOT NULL
         AND p_debit.posted_credits - p_debit.posted_debits - p_debit.pending_debits - p_amount < p_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN p_check_limits AND p_credit.upper_limit IS NOT NULL
         AND p_credit.posted_credits + p_credit.pending_credits - p_credit.posted_debits + p_amount > p_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
END $function$;
