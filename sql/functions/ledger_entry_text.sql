-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_entry_text(p_transfer transfers, p_salts bytea, p_debit postings, p_credit postings)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
  SELECT concat_ws('|', 'pumasi-entry-v1', p_transfer.id, p_transfer.currency_id, p_transfer.kind, p_transfer.debit_account_id,
                   p_transfer.credit_account_id, p_transfer.amount, coalesce(p_transfer.pending_id::text, ''), coalesce(p_transfer.reverses_id::text, ''),
                   p_transfer.code, encode(sha256(convert_to(p_transfer.memo, 'UTF8')), 'hex'),
                   to_char(p_transfer.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   ledger_posting_commitment(substring(p_salts FROM 1 FOR 16), p_debit),
                   ledger_posting_commitment(substring(p_salts FROM 17 FOR 16), p_credit))
$function$;
