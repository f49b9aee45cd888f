-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_close_period(p_currency_id bigint, p_through timestamp with time zone, p_closed_by bigint, p_note text)
 RETURNS TABLE(outcome text, period_id bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_period_id bigint;
BEGIN
  PERFORM 1 FROM accounts a WHERE a.currency_id = p_currency_id ORDER BY a.id FOR SHARE;
  IF p_through + interval '1 millisecond' > clock_timestamp() THEN
    RETURN QUERY SELECT 'period_end_in_future'::text, NULL::bigint;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_periods p WHERE p.currency_id = p_currency_id AND p.closed_through >= p_through) THEN
    RETURN QUERY SELECT 'period_already_closed'::text, NULL::bigint;
    RETURN;
  END IF;
  INSERT INTO ledger_periods (currency_id, closed_through, closed_by, note) VALUES (p_currency_id, p_through, p_closed_by, p_note)
    RETURNING id INTO v_period_id;
  INSERT INTO ledger_period_balances (period_id, account_id, balance)
    SELECT v_period_id, a.id, coalesce(sum(p.amount), 0)
      FROM accounts a LEFT JOIN postings p ON p.account_id = a.id AND p.created_at < p_through + interval '1 millisecond'
     WHERE a.currency_id = p_currency_id AND a.created_at < p_through + interval '1 millisecond'
     GROUP BY a.id;
  RETURN QUERY SELECT 'closed'::text, v_period_id;
END $function$;
