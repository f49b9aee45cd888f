-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_batch_moves(p_transfers jsonb)
 RETURNS TABLE(n integer, account_id bigint, amount bigint, pending boolean, posted_debits bigint, posted_credits bigint, pending_debits bigint, pending_credits bigint, posted_debits_before bigint, posted_credits_before bigint, pending_debits_before bigint, pending_credits_before bigint, postings_before bigint)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  -- What each request of a batch moves on each of its two accounts (the signed amount, and how much
  -- each of the four totals rises), and what the requests before it in the batch moved on that
  -- account: running sums, so that request n is judged, and posted, as if the ones before had been
  -- written one at a time.
  SELECT s.n, s.account_id, s.amount, s.pending, s.posted_debits, s.posted_credits, s.pending_debits, s.pending_credits,
         coalesce(sum(s.posted_debits) OVER before_n, 0)::bigint, coalesce(sum(s.posted_credits) OVER before_n, 0)::bigint,
         coalesce(sum(s.pending_debits) OVER before_n, 0)::bigint, coalesce(sum(s.pending_credits) OVER before_n, 0)::bigint,
         count(*) FILTER (WHERE NOT s.pending) OVER before_n
    FROM (SELECT r.n, r.debit_account_id AS account_id, -r.amount AS amount, r.pending,
                 CASE WHEN r.pending THEN 0 ELSE r.amount END AS posted_debits, 0::bigint AS posted_credits,
                 CASE WHEN r.pending THEN r.amount ELSE 0 END AS pending_debits, 0::bigint AS pending_credits
            FROM ledger_transfer_requests(p_transfers) r
          UNION ALL
          SELECT r.n, r.credit_account_id, r.amount, r.pending, 0, CASE WHEN r.pending THEN 0 ELSE r.amount END,
                 0, CASE WHEN r.pending THEN r.amount ELSE 0 END
            FROM ledger_transfer_requests(p_transfers) r) AS s
  WINDOW before_n AS (PARTITION BY s.account_id ORDER BY s.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
$function$;
