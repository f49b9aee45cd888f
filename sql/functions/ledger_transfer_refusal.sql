-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean, p_pending boolean DEFAULT false, p_released bigint DEFAULT 0)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
  -- Both accounts (either may be missing) in one statement.
  RETURN (SELECT ledger_refusal(d, c, p_amount, p_check_limits, p_pending, p_released)
            FROM (SELECT 1) AS one
            LEFT JOIN accounts d ON d.id = p_debit_account_id
            LEFT JOIN accounts c ON c.id = p_credit_account_id);
END $function$;
