import { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_TRANSFERS } from './1764260000000-two-phase-batches-reversals.js';

/**
 * A member's payment names its payer, and the database refuses it unless that member holds the
 * debit account through an active membership (within one community, for a partner app acting for
 * them). The check runs in the statement that writes the transfer, under the account locks, so no
 * code path can pay from another member's account, and the fast path needs no extra round trip.
 * A refusal claims no key and records nothing.
 */
export class HolderCheckedPayments1764280000000 implements MigrationInterface {
  name = 'HolderCheckedPayments1764280000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(HOLDER_CHECKED_CREATE_TRANSFERS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE_TRANSFERS.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
  }
}

const HOLDER_CHECKED_CREATE_TRANSFERS = `
CREATE OR REPLACE FUNCTION ledger_create_transfers(p_transfers jsonb, p_linked boolean)
RETURNS TABLE (item int, outcome text, id bigint, currency_id bigint, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_request record;
  v_result record;
  v_account_ids bigint[];
BEGIN
  -- An array, not a subquery, so that the locks are taken through the primary key index.
  v_account_ids := ARRAY(SELECT (r->>'debitAccountId')::bigint FROM jsonb_array_elements(p_transfers) r
                         UNION SELECT (r->>'creditAccountId')::bigint FROM jsonb_array_elements(p_transfers) r);
  PERFORM 1 FROM accounts a WHERE a.id = ANY(v_account_ids) ORDER BY a.id FOR UPDATE;
  FOR v_request IN SELECT r.value AS body, r.ordinality::int AS n FROM jsonb_array_elements(p_transfers) WITH ORDINALITY r LOOP
    IF v_request.body ? 'payerMemberId' AND NOT EXISTS (
         SELECT 1 FROM memberships m
          WHERE m.account_id = (v_request.body->>'debitAccountId')::bigint
            AND m.member_id = (v_request.body->>'payerMemberId')::bigint
            AND m.status = 'active'
            AND (v_request.body->>'withinCommunityId' IS NULL OR m.community_id = (v_request.body->>'withinCommunityId')::bigint)) THEN
      RETURN QUERY SELECT v_request.n, 'not_holder'::text, NULL::bigint, NULL::bigint, NULL::timestamptz;
      EXIT WHEN p_linked;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.body->>'idempotencyKey', v_request.body->>'requestHash',
      (v_request.body->>'debitAccountId')::bigint, (v_request.body->>'creditAccountId')::bigint, (v_request.body->>'amount')::bigint,
      v_request.body->>'code', v_request.body->>'memo', v_request.body->'metadata',
      coalesce((v_request.body->>'pending')::boolean, false),
      clock_timestamp() + make_interval(secs => (v_request.body->>'timeoutSeconds')::int));
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $$;
`;
