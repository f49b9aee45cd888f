-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_posting_commitment(p_salt bytea, p_posting postings)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE WHEN p_posting.id IS NULL THEN ''
              ELSE encode(sha256(p_salt || convert_to(concat_ws(':', p_posting.account_id, p_posting.amount, p_posting.balance_after, p_posting.account_version), 'UTF8')), 'hex') END
$function$;
