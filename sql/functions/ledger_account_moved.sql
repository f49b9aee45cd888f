-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_account_moved(p_account accounts, p_posted_debits bigint, p_posted_credits bigint, p_pending_debits bigint, p_pending_credits bigint)
 RETURNS accounts
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
BEGIN
  -- The account as it will be once these amounts are added to its totals.
  p_account.posted_debits := p_account.posted_debits + p_posted_debits;
  p_account.posted_credits := p_account.posted_credits + p_posted_credits;
  p_account.pending_debits := p_account.pending_debits + p_pending_debits;
  p_account.pending_credits := p_account.pending_credits + p_pending_credits;
  RETURN p_account;
END $function$;
