-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_assert_transfer_balanced(p_transfer_id bigint)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_transfer transfers%ROWTYPE;
  v_matching int;
  v_total int;
  v_expected int;
BEGIN
  SELECT * INTO v_transfer FROM transfers WHERE id = p_transfer_id;
  v_expected := CASE WHEN v_transfer.kind IN ('pending', 'void_pending') THEN 0 ELSE 2 END;
  SELECT count(*) FILTER (WHERE (p.account_id = v_transfer.debit_account_id AND p.amount = -v_transfer.amount)
                             OR (p.account_id = v_transfer.credit_account_id AND p.amount = v_transfer.amount)),
         count(*)
    INTO v_matching, v_total
    FROM postings p WHERE p.transfer_id = p_transfer_id;
  IF v_total <> v_expected OR v_matching <> v_expected THEN
    RAISE EXCEPTION 'transfer % (%) must have % postings of its amount, netting to zero', p_transfer_id, v_transfer.kind, v_expected
      USING ERRCODE = 'PL002';
  END IF;
END $function$;
