-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_payer_refused(p_request jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
  -- A member's payment names its payer, who must hold the debit account through an active
  -- membership (in the given community, with a partner app).
  RETURN p_request ? 'payerMemberId' AND NOT EXISTS (
    SELECT 1 FROM memberships m
     WHERE m.account_id = (p_request->>'debitAccountId')::bigint
       AND m.member_id = (p_request->>'payerMemberId')::bigint
       AND m.status = 'active'
       AND (p_request->>'withinCommunityId' IS NULL OR m.community_id = (p_request->>'withinCommunityId')::bigint));
END $function$;
