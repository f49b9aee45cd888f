import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, the hot path in the database: the same rules, enforced with fewer statements per transfer.
 * - The balanced-transfer net: postings are checked once per statement (a trigger over the statement's
 *   new rows: each is one side of a transfer that moves money, of its amount); a transfer has at most
 *   one posting per account (a unique constraint, which replaces the plain index on transfer_id); and
 *   at commit only a transfer that moves money is checked, by counting its postings (two). Before:
 *   three deferred checks of two queries each per transfer.
 * - Batches (and the server's groups of single transfers) are written set-based when every request
 *   is new and accepted: running totals per account (window functions) judge each request as if the
 *   ones before it had been written, then one statement writes them all. A batch with a replay or
 *   a refusal goes one request at a time, as before.
 * - The outbox announcement and the closed-period check run once per statement over its new
 *   transfers (transition tables), not once per transfer.
 * - Every writer takes the accounts first, then the idempotency key: `ledger_create_transfer` called
 *   alone, `ledger_resolve_pending` and `ledger_reverse_transfer` took the key first, while batches
 *   took the accounts first, so a resolution and a payment reusing one key could deadlock.
 * - The key is looked up in one statement after its lock (transfers, failures and the legacy
 *   unscoped key); the accounts and their due holds are locked in one statement; the refusal reads
 *   both accounts in one statement; `ledger_post` writes both sides in one statement; a new transfer
 *   is answered without reading it back.
 */

export class HotPathSql1764450000000 implements MigrationInterface {
  name = 'HotPathSql1764450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE postings ADD CONSTRAINT "UQ_postings_transfer_account" UNIQUE (transfer_id, account_id)',
    );
    await queryRunner.query('DROP INDEX "IDX_postings_transfer"');
    for (const [signature, definition] of NEW_FUNCTIONS) {
      await queryRunner.query(definition);
      await queryRunner.query(`REVOKE EXECUTE ON FUNCTION ${signature} FROM PUBLIC`);
    }
    await queryRunner.query('DROP TRIGGER postings_belong_to_balanced_transfer ON postings');
    await queryRunner.query(POSTINGS_TRIGGER);
    await queryRunner.query('DROP FUNCTION ledger_check_new_posting()');
    await queryRunner.query('DROP TRIGGER transfers_postings_balanced ON transfers');
    await queryRunner.query(TRANSFERS_TRIGGER);
    await queryRunner.query('DROP FUNCTION ledger_assert_transfer_balanced(bigint)');
    for (const definition of REPLACED_FUNCTIONS) await queryRunner.query(definition);
    for (const [name, definition] of STATEMENT_TRIGGERS) {
      await queryRunner.query(`DROP TRIGGER ${name} ON transfers`);
      await queryRunner.query(definition);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of OLD_ROW_TRIGGERS) {
      await queryRunner.query(`DROP TRIGGER ${name} ON transfers`);
      await queryRunner.query(definition);
    }
    for (const definition of OLD_FUNCTIONS) await queryRunner.query(definition);
    await queryRunner.query(OLD_ASSERT_TRANSFER_BALANCED);
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION ledger_assert_transfer_balanced(bigint) FROM PUBLIC');
    await queryRunner.query('GRANT EXECUTE ON FUNCTION ledger_assert_transfer_balanced(bigint) TO pumasi_service');
    await queryRunner.query('DROP TRIGGER transfers_postings_balanced ON transfers');
    await queryRunner.query(OLD_TRANSFERS_TRIGGER);
    await queryRunner.query(OLD_CHECK_NEW_POSTING);
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION ledger_check_new_posting() FROM PUBLIC');
    await queryRunner.query('DROP TRIGGER postings_belong_to_balanced_transfer ON postings');
    await queryRunner.query(OLD_POSTINGS_TRIGGER);
    for (const [signature] of [...NEW_FUNCTIONS].reverse()) await queryRunner.query(`DROP FUNCTION ${signature}`);
    await queryRunner.query('CREATE INDEX "IDX_postings_transfer" ON "postings" ("transfer_id")');
    await queryRunner.query('ALTER TABLE postings DROP CONSTRAINT "UQ_postings_transfer_account"');
  }
}

// Fires once per statement, inside the ledger's functions, as their owner.
const POSTINGS_TRIGGER = `CREATE TRIGGER postings_belong_to_balanced_transfer AFTER INSERT ON postings
  REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_new_postings()`;

// Deferred to commit, when all of a transfer's postings are written. A hold or a void moves nothing:
// no posting can name it, so it has none and needs no count.
const TRANSFERS_TRIGGER = `CREATE CONSTRAINT TRIGGER transfers_postings_balanced AFTER INSERT ON transfers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind IN ('direct', 'post_pending')) EXECUTE FUNCTION ledger_check_new_transfer()`;

// Once per statement over its new transfers: a batch is one insert. A transfer dated in a closed
// period still fails the statement that wrote it.
const STATEMENT_TRIGGERS = [
  [
    'transfers_announce',
    `CREATE TRIGGER transfers_announce AFTER INSERT ON transfers REFERENCING NEW TABLE AS new_transfers
      FOR EACH STATEMENT EXECUTE FUNCTION events_announce_transfer()`,
  ],
  [
    'transfers_outside_closed_periods',
    `CREATE TRIGGER transfers_outside_closed_periods AFTER INSERT ON transfers REFERENCING NEW TABLE AS new_transfers
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_dating_in_closed_period()`,
  ],
];

const OLD_ROW_TRIGGERS = [
  [
    'transfers_announce',
    'CREATE TRIGGER transfers_announce AFTER INSERT ON transfers FOR EACH ROW EXECUTE FUNCTION events_announce_transfer()',
  ],
  [
    'transfers_outside_closed_periods',
    'CREATE TRIGGER transfers_outside_closed_periods BEFORE INSERT ON transfers FOR EACH ROW EXECUTE FUNCTION ledger_refuse_dating_in_closed_period()',
  ],
];

const OLD_POSTINGS_TRIGGER = `CREATE CONSTRAINT TRIGGER postings_belong_to_balanced_transfer AFTER INSERT ON postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_posting()`;

const OLD_TRANSFERS_TRIGGER = `CREATE CONSTRAINT TRIGGER transfers_postings_balanced AFTER INSERT ON transfers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_transfer()`;

const CHECK_NEW_POSTINGS = `CREATE FUNCTION public.ledger_check_new_postings()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_transfer_id bigint;
BEGIN
  -- Each posting the statement wrote is one side of a transfer that moves money: the debit
  -- account's with the amount negative, or the credit account's with it positive. With at most one
  -- posting per transfer and account (a unique constraint), a transfer never has more than its two;
  -- the deferred check on transfers makes sure it has both by commit.
  SELECT p.transfer_id INTO v_transfer_id FROM new_postings p LEFT JOIN transfers t ON t.id = p.transfer_id
   WHERE t.id IS NULL OR t.kind NOT IN ('direct', 'post_pending')
      OR NOT ((p.account_id = t.debit_account_id AND p.amount = -t.amount) OR (p.account_id = t.credit_account_id AND p.amount = t.amount))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting of transfer % is not one side of it: a transfer that moves money has a posting of its amount on each account',
      v_transfer_id USING ERRCODE = 'PL002';
  END IF;
  RETURN NULL;
END $function$`;

const REFUSAL = `CREATE FUNCTION public.ledger_refusal(p_debit accounts, p_credit accounts, p_amount bigint, p_check_limits boolean, p_pending boolean, p_released bigint)
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
END $function$`;

const ACCOUNT_MOVED = `CREATE FUNCTION public.ledger_account_moved(p_account accounts, p_posted_debits bigint, p_posted_credits bigint, p_pending_debits bigint, p_pending_credits bigint)
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
END $function$`;

const PAYER_REFUSED = `CREATE FUNCTION public.ledger_payer_refused(p_request jsonb)
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
END $function$`;

const TRANSFER_REQUESTS = `CREATE FUNCTION public.ledger_transfer_requests(p_transfers jsonb)
 RETURNS TABLE(n integer, body jsonb, idempotency_scope text, idempotency_key text, request_hash text, debit_account_id bigint, credit_account_id bigint,
               amount bigint, code text, memo text, metadata jsonb, pending boolean, timeout_seconds integer)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  -- The requests of a batch, numbered from 1 in order, as ledger_create_transfers reads them.
  SELECT e.n::int, e.body, coalesce(r."idempotencyScope", 'system'), r."idempotencyKey", r."requestHash", r."debitAccountId", r."creditAccountId",
         r.amount, r.code, r.memo, r.metadata, coalesce(r.pending, false), r."timeoutSeconds"
    FROM jsonb_array_elements(p_transfers) WITH ORDINALITY AS e(body, n),
         jsonb_to_record(e.body) AS r("idempotencyScope" text, "idempotencyKey" text, "requestHash" text, "debitAccountId" bigint,
                                      "creditAccountId" bigint, amount bigint, code text, memo text, metadata jsonb, pending boolean, "timeoutSeconds" integer)
$function$`;

const BATCH_MOVES = `CREATE FUNCTION public.ledger_batch_moves(p_transfers jsonb)
 RETURNS TABLE(n integer, account_id bigint, amount bigint, pending boolean,
               posted_debits bigint, posted_credits bigint, pending_debits bigint, pending_credits bigint,
               posted_debits_before bigint, posted_credits_before bigint, pending_debits_before bigint, pending_credits_before bigint,
               postings_before bigint)
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
$function$`;

const BATCH_IS_PLAIN = `CREATE FUNCTION public.ledger_batch_is_plain(p_transfers jsonb, p_account_ids bigint[])
 RETURNS boolean
 LANGUAGE plpgsql
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the work.
DECLARE
  v_keys_free boolean;
BEGIN
  -- Every key claimed (locked, then looked up), in one order whatever the batch's, so that two
  -- batches reusing each other's keys cannot deadlock.
  SELECT bool_and(claim.outcome IS NULL) INTO v_keys_free
    FROM (SELECT (ledger_claim_key(r.idempotency_scope, r.idempotency_key, r.request_hash)).outcome
            FROM ledger_transfer_requests(p_transfers) r
           ORDER BY hashtext(r.idempotency_scope || ' ' || r.idempotency_key), r.idempotency_scope, r.idempotency_key) AS claim;
  -- Plain: every key new and used once in the batch, every payer a holder, and no request refused
  -- given what the requests before it move on its accounts (read by id: p_account_ids are the batch's).
  RETURN v_keys_free AND NOT EXISTS (
    WITH moves AS (SELECT * FROM ledger_batch_moves(p_transfers)),
    account AS (SELECT * FROM accounts a WHERE a.id = ANY(p_account_ids))
    SELECT 1
      FROM (SELECT r.*, count(*) OVER (PARTITION BY r.idempotency_scope, r.idempotency_key) AS uses
              FROM ledger_transfer_requests(p_transfers) r) AS r
      LEFT JOIN moves md ON md.n = r.n AND md.account_id = r.debit_account_id AND md.amount < 0
      LEFT JOIN moves mc ON mc.n = r.n AND mc.account_id = r.credit_account_id AND mc.amount > 0
      LEFT JOIN account d ON d.id = r.debit_account_id
      LEFT JOIN account c ON c.id = r.credit_account_id
     WHERE r.uses > 1 OR ledger_payer_refused(r.body)
        OR ledger_refusal(ledger_account_moved(d, md.posted_debits_before, md.posted_credits_before, md.pending_debits_before, md.pending_credits_before),
                          ledger_account_moved(c, mc.posted_debits_before, mc.posted_credits_before, mc.pending_debits_before, mc.pending_credits_before),
                          r.amount, true, r.pending, 0) IS NOT NULL);
END $function$`;

const WRITE_BATCH = `CREATE FUNCTION public.ledger_write_batch(p_transfers jsonb, p_account_ids bigint[], p_at timestamp with time zone)
 RETURNS TABLE(n integer, id bigint, currency_id bigint)
 LANGUAGE plpgsql
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the work.
BEGIN
  -- A plain batch (ledger_batch_is_plain) in one statement, as if written one request at a time:
  -- transfers in request order, each account's totals moved once by the batch's sum, and each
  -- posting carrying the version and balance its account reached at that request. (The statement's
  -- parts all read the accounts as they were before it.) The batch's accounts are named by id, so
  -- that the planner reads them by index, never the whole table.
  RETURN QUERY
  WITH request AS (SELECT * FROM ledger_transfer_requests(p_transfers)),
  moves AS (SELECT * FROM ledger_batch_moves(p_transfers)),
  account AS (SELECT * FROM accounts a WHERE a.id = ANY(p_account_ids)),
  written AS (
    INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo,
                           metadata, kind, timeout_at, created_at)
    SELECT r.idempotency_scope, r.idempotency_key, r.request_hash, a.currency_id, r.debit_account_id, r.credit_account_id, r.amount, r.code, r.memo,
           r.metadata, CASE WHEN r.pending THEN 'pending' ELSE 'direct' END, p_at + make_interval(secs => r.timeout_seconds), p_at
      FROM request r JOIN account a ON a.id = r.debit_account_id
     ORDER BY r.n
    RETURNING transfers.id, transfers.idempotency_scope, transfers.idempotency_key, transfers.currency_id),
  transfer AS (
    SELECT r.n, w.id, w.currency_id FROM request r
      JOIN written w ON w.idempotency_scope = r.idempotency_scope AND w.idempotency_key = r.idempotency_key),
  totals AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + m.posted_debits, posted_credits = a.posted_credits + m.posted_credits,
                          pending_debits = a.pending_debits + m.pending_debits, pending_credits = a.pending_credits + m.pending_credits,
                          version = a.version + m.postings
      FROM (SELECT m.account_id, sum(m.posted_debits) AS posted_debits, sum(m.posted_credits) AS posted_credits,
                   sum(m.pending_debits) AS pending_debits, sum(m.pending_credits) AS pending_credits, count(*) FILTER (WHERE NOT m.pending) AS postings
              FROM moves m GROUP BY m.account_id) AS m
     WHERE a.id = m.account_id AND a.id = ANY(p_account_ids)),
  posted AS (
    INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT t.id, m.account_id, t.currency_id, m.amount,
           a.posted_credits - a.posted_debits + m.posted_credits_before - m.posted_debits_before + m.amount, a.version + m.postings_before + 1, p_at
      FROM moves m JOIN transfer t ON t.n = m.n JOIN account a ON a.id = m.account_id
     WHERE NOT m.pending
     ORDER BY t.id, m.amount)
  SELECT t.n, t.id, t.currency_id FROM transfer t;
END $function$`;

/** In order of creation (each only calls those before it), with the signatures that drop them. */
const NEW_FUNCTIONS: [string, string][] = [
  ['ledger_check_new_postings()', CHECK_NEW_POSTINGS],
  ['ledger_refusal(accounts, accounts, bigint, boolean, boolean, bigint)', REFUSAL],
  ['ledger_account_moved(accounts, bigint, bigint, bigint, bigint)', ACCOUNT_MOVED],
  ['ledger_payer_refused(jsonb)', PAYER_REFUSED],
  ['ledger_transfer_requests(jsonb)', TRANSFER_REQUESTS],
  ['ledger_batch_moves(jsonb)', BATCH_MOVES],
  ['ledger_batch_is_plain(jsonb, bigint[])', BATCH_IS_PLAIN],
  ['ledger_write_batch(jsonb, bigint[], timestamp with time zone)', WRITE_BATCH],
];

const CLAIM_KEY = `CREATE OR REPLACE FUNCTION public.ledger_claim_key(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, OUT outcome text, OUT transfer_id bigint, OUT original_outcome text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- The key's lock decides between a transfer and a failure, which live in two tables: no unique
  -- index spans both, and a key must never end up in both (the invariant check looks).
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_scope || ' ' || p_idempotency_key));
  -- One look at all four places the key may be, in a statement of its own, so that its snapshot
  -- sees what the lock's previous holder committed. A client retrying, after the upgrade to scoped
  -- keys, the very request it sent before finds it recorded unscoped, answered as it was and never
  -- applied twice; only the same request (its hash) matches there, so a key someone else used
  -- before scoping stays free for this caller.
  SELECT found.outcome, found.transfer_id, found.original_outcome INTO outcome, transfer_id, original_outcome
    FROM (SELECT 1 AS rank, CASE WHEN t.request_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END AS outcome,
                 t.id AS transfer_id, NULL::text AS original_outcome
            FROM transfers t WHERE t.idempotency_scope = p_idempotency_scope AND t.idempotency_key = p_idempotency_key
          UNION ALL
          SELECT 2, CASE WHEN f.request_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END,
                 NULL, CASE WHEN f.request_hash = p_request_hash THEN f.code END
            FROM transfer_failures f WHERE f.idempotency_scope = p_idempotency_scope AND f.idempotency_key = p_idempotency_key
          UNION ALL
          SELECT 3, 'exists', t.id, NULL FROM transfers t
           WHERE t.idempotency_scope = 'unscoped' AND t.idempotency_key = p_idempotency_key AND t.request_hash = p_request_hash
          UNION ALL
          SELECT 4, 'idempotency_key_already_failed', NULL, f.code FROM transfer_failures f
           WHERE f.idempotency_scope = 'unscoped' AND f.idempotency_key = p_idempotency_key AND f.request_hash = p_request_hash) AS found
   ORDER BY found.rank
   LIMIT 1;
END $function$`;

const LOCK_ACCOUNTS_EXPIRING = `CREATE OR REPLACE FUNCTION public.ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the lock.
DECLARE
  v_due bigint[];
BEGIN
  -- One statement, ascending ids: these accounts and the other sides of their holds past the
  -- timeout (looked up before any lock: an account with nothing pending costs two index probes of a
  -- short list). A hold that falls due after this look is left to the sweeper: taking its account now
  -- would be out of order.
  WITH due AS MATERIALIZED (
    SELECT h.transfer_id, h.debit_account_id, h.credit_account_id FROM ledger_open_holds h
     WHERE (h.debit_account_id = ANY(p_account_ids) OR h.credit_account_id = ANY(p_account_ids))
       AND h.timeout_at <= clock_timestamp()),
  locked AS (
    SELECT a.id FROM accounts a
     WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM due d) || ARRAY(SELECT d.credit_account_id FROM due d))
     ORDER BY a.id FOR UPDATE)
  SELECT ARRAY(SELECT d.transfer_id FROM due d) INTO v_due FROM (SELECT count(*) FROM locked) AS all_locked;
  IF cardinality(v_due) > 0 THEN
    PERFORM ledger_expire_pending(d) FROM unnest(v_due) AS d;
  END IF;
END $function$`;

const TRANSFER_REFUSAL = `CREATE OR REPLACE FUNCTION public.ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean, p_pending boolean DEFAULT false, p_released bigint DEFAULT 0)
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
END $function$`;

const POST = `CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- One statement: each account's totals and version move, and its posting records what they became.
  WITH debit AS (
    UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.currency_id, a.posted_credits - a.posted_debits AS balance, a.version),
  credit AS (
    UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits AS balance, a.version)
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at)
    SELECT p_transfer_id, p_debit_account_id, debit.currency_id, -p_amount, debit.balance, debit.version, p_at FROM debit
    UNION ALL
    SELECT p_transfer_id, p_credit_account_id, debit.currency_id, p_amount, credit.balance, credit.version, p_at FROM debit, credit;
END $function$`;

const CREATE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_create_transfer(p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_idempotency_scope text DEFAULT 'system'::text, p_accounts_locked boolean DEFAULT false)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer record;
BEGIN
  -- Accounts first, then the key, as every writer takes them: both accounts, and the other accounts
  -- of their due holds, at once in ascending id order (never these two first and the others after:
  -- that order could deadlock with another writer).
  IF NOT p_accounts_locked THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, clock_timestamp()
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id, transfers.currency_id, transfers.created_at INTO v_transfer;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + CASE WHEN a.id = p_debit_account_id THEN p_amount ELSE 0 END,
                          pending_credits = a.pending_credits + CASE WHEN a.id = p_credit_account_id THEN p_amount ELSE 0 END
     WHERE a.id IN (p_debit_account_id, p_credit_account_id);
  ELSE
    PERFORM ledger_post(v_transfer.id, p_debit_account_id, p_credit_account_id, p_amount, v_transfer.created_at);
  END IF;
  -- What was just written, answered without reading it back.
  RETURN QUERY SELECT 'created'::text, v_transfer.id, v_transfer.currency_id, v_transfer.created_at, NULL::text;
END $function$`;

const CREATE_TRANSFERS = `CREATE OR REPLACE FUNCTION public.ledger_create_transfers(p_transfers jsonb, p_linked boolean)
 RETURNS TABLE(item integer, outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_request record;
  v_result record;
  v_accounts bigint[] := ARRAY(SELECT r.debit_account_id FROM ledger_transfer_requests(p_transfers) r
                               UNION SELECT r.credit_account_id FROM ledger_transfer_requests(p_transfers) r);
  v_at timestamptz;
BEGIN
  PERFORM ledger_lock_accounts_expiring(v_accounts);
  -- The usual batch, every request new and accepted, is written set-based, whether linked or not:
  -- all are created either way. Anything else (a replay, a refusal) goes one request at a time.
  IF ledger_batch_is_plain(p_transfers, v_accounts) THEN
    v_at := clock_timestamp();
    RETURN QUERY SELECT w.n, 'created'::text, w.id, w.currency_id, v_at, NULL::text FROM ledger_write_batch(p_transfers, v_accounts, v_at) AS w;
    RETURN;
  END IF;
  FOR v_request IN SELECT * FROM ledger_transfer_requests(p_transfers) LOOP
    IF ledger_payer_refused(v_request.body) THEN
      RETURN QUERY SELECT v_request.n, 'not_holder'::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::text;
      EXIT WHEN p_linked;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.idempotency_key, v_request.request_hash, v_request.debit_account_id, v_request.credit_account_id, v_request.amount,
      v_request.code, v_request.memo, v_request.metadata, v_request.pending,
      clock_timestamp() + make_interval(secs => v_request.timeout_seconds), v_request.idempotency_scope, true);
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at, v_result.original_outcome;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $function$`;

const RESOLVE_PENDING = `CREATE OR REPLACE FUNCTION public.ledger_resolve_pending(p_idempotency_key text, p_request_hash text, p_pending_id bigint, p_action text, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_pending transfers%ROWTYPE;
  v_resolution transfers%ROWTYPE;
  v_amount bigint;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_pending FROM transfers t WHERE t.id = p_pending_id AND t.kind = 'pending';
  -- Its accounts first, then the key, as every writer takes them (a key taken first could deadlock
  -- with a payment holding these accounts). Every resolver of this pending transfer queues here; the
  -- first to commit wins.
  IF v_pending.id IS NOT NULL THEN
    PERFORM ledger_lock_accounts(v_pending.debit_account_id, v_pending.credit_account_id);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  IF v_pending.id IS NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_found', NULL);
    RETURN;
  END IF;
  SELECT * INTO v_resolution FROM transfers t WHERE t.pending_id = p_pending_id;
  v_amount := CASE WHEN p_action = 'post' THEN coalesce(p_amount, v_pending.amount) ELSE v_pending.amount END;
  v_at := clock_timestamp();
  v_refusal := CASE
    WHEN v_resolution.kind = 'post_pending' THEN 'pending_transfer_already_posted'
    WHEN v_resolution.kind = 'void_pending' AND v_resolution.code = 'expired' THEN 'pending_transfer_expired'
    WHEN v_resolution.kind = 'void_pending' THEN 'pending_transfer_already_voided'
    WHEN v_pending.timeout_at IS NOT NULL AND v_pending.timeout_at <= v_at THEN 'pending_transfer_expired'
    WHEN v_amount <= 0 THEN 'amount_must_be_positive'
    WHEN v_amount > v_pending.amount THEN 'exceeds_pending_amount'
    -- Frozen or closed accounts cannot send or receive: a hold on them can still be voided, not posted.
    WHEN p_action = 'post' THEN ledger_transfer_refusal(v_pending.debit_account_id, v_pending.credit_account_id, v_amount, false, false, v_pending.amount)
  END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, pending_id, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount,
            p_code, p_memo, p_metadata, CASE WHEN p_action = 'post' THEN 'post_pending' ELSE 'void_pending' END, p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  IF p_action = 'post' THEN
    PERFORM ledger_post(v_transfer_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const REVERSE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_reverse_transfer(p_idempotency_key text, p_request_hash text, p_transfer_id bigint, p_reason text, p_force boolean, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_original transfers%ROWTYPE;
  v_refusal text;
  v_metadata jsonb := p_metadata;
  v_widened jsonb;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_original FROM transfers t WHERE t.id = p_transfer_id;
  -- Its accounts first, then the key, as every writer takes them.
  IF v_original.kind IN ('direct', 'post_pending') THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[v_original.debit_account_id, v_original.credit_account_id]);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  IF v_original.id IS NULL OR v_original.kind NOT IN ('direct', 'post_pending') THEN
    RETURN QUERY SELECT * FROM ledger_outcome(CASE WHEN v_original.id IS NULL THEN 'transfer_not_found' ELSE 'transfer_not_reversible' END, NULL);
    RETURN;
  END IF;
  v_refusal := CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.reverses_id = p_transfer_id) THEN 'transfer_already_reversed'
                    ELSE ledger_transfer_refusal(v_original.credit_account_id, v_original.debit_account_id, v_original.amount, NOT p_force) END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  IF p_force THEN
    SELECT jsonb_agg(jsonb_build_object('accountId', a.id::text, 'lowerLimitWas', a.lower_limit::text, 'upperLimitWas', a.upper_limit::text))
      INTO v_widened FROM accounts a
     WHERE (a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL
            AND a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount < a.lower_limit)
        OR (a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL
            AND a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount > a.upper_limit);
    UPDATE accounts a SET lower_limit = least(a.lower_limit, a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount)
     WHERE a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL;
    UPDATE accounts a SET upper_limit = greatest(a.upper_limit, a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount)
     WHERE a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL;
    IF v_widened IS NOT NULL THEN
      v_metadata := v_metadata || jsonb_build_object('limitsWidened', v_widened);
    END IF;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         reverses_id, reason, forced, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_original.currency_id, v_original.credit_account_id, v_original.debit_account_id,
            v_original.amount, 'reversal', p_memo, v_metadata, p_transfer_id, nullif(trim(p_reason), ''), p_force, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  PERFORM ledger_post(v_transfer_id, v_original.credit_account_id, v_original.debit_account_id, v_original.amount, v_at);
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const CHECK_NEW_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_check_new_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Each of its postings was checked as it was written (one side of it, one per account): two make
  -- it whole. A transfer that moves nothing has none, as no posting can name it.
  IF (SELECT count(*) FROM postings p WHERE p.transfer_id = NEW.id) <> 2 THEN
    RAISE EXCEPTION 'transfer % (%) must have 2 postings of its amount, netting to zero', NEW.id, NEW.kind
      USING ERRCODE = 'PL002';
  END IF;
  RETURN NULL;
END $function$`;

const ANNOUNCE_TRANSFER = `CREATE OR REPLACE FUNCTION public.events_announce_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Once per statement, for all the transfers it wrote, in id order (a batch is one insert).
  INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, member_ids)
  SELECT CASE WHEN n.reverses_id IS NOT NULL THEN 'transfer.reversed'
              WHEN n.kind = 'pending' THEN 'transfer.pending'
              WHEN n.kind = 'void_pending' THEN 'transfer.voided'
              ELSE 'transfer.posted' END,
         'transfer', n.id::text, c.community_id,
         jsonb_build_object('transferId', n.id::text, 'kind', n.kind, 'currencyId', n.currency_id::text,
                            'debitAccountId', n.debit_account_id::text, 'creditAccountId', n.credit_account_id::text,
                            'amount', n.amount::text, 'code', n.code, 'pendingId', n.pending_id::text,
                            'reversesId', n.reverses_id::text, 'timeoutAt', n.timeout_at, 'createdAt', n.created_at),
         ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (n.debit_account_id, n.credit_account_id) ORDER BY m.member_id)
    FROM new_transfers n JOIN currencies c ON c.id = n.currency_id
   ORDER BY n.id;
  RETURN NULL;
END $function$`;

const REFUSE_DATING_IN_CLOSED_PERIOD = `CREATE OR REPLACE FUNCTION public.ledger_refuse_dating_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_dated record;
BEGIN
  -- Once per statement, for all the transfers it wrote.
  SELECT n.created_at, n.currency_id INTO v_dated
    FROM new_transfers n JOIN ledger_periods p ON p.currency_id = n.currency_id AND n.created_at < p.closed_through + interval '1 millisecond'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transfer dated % falls in a closed period of currency %', v_dated.created_at, v_dated.currency_id
      USING ERRCODE = 'PL004', HINT = 'Post the correction in the open period, referring to the original.';
  END IF;
  RETURN NULL;
END $function$`;

const REPLACED_FUNCTIONS = [
  CLAIM_KEY,
  LOCK_ACCOUNTS_EXPIRING,
  TRANSFER_REFUSAL,
  POST,
  CREATE_TRANSFER,
  CREATE_TRANSFERS,
  RESOLVE_PENDING,
  REVERSE_TRANSFER,
  CHECK_NEW_TRANSFER,
  ANNOUNCE_TRANSFER,
  REFUSE_DATING_IN_CLOSED_PERIOD,
];

const OLD_CLAIM_KEY = `CREATE OR REPLACE FUNCTION public.ledger_claim_key(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, OUT outcome text, OUT transfer_id bigint, OUT original_outcome text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_hash text;
  v_code text;
BEGIN
  PERFORM pg_advisory_xact_lock(7301, hashtext(p_idempotency_scope || ' ' || p_idempotency_key));
  SELECT t.id, t.request_hash INTO transfer_id, v_hash FROM transfers t
   WHERE t.idempotency_scope = p_idempotency_scope AND t.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'exists' ELSE 'idempotency_key_conflict' END;
    RETURN;
  END IF;
  SELECT f.request_hash, f.code INTO v_hash, v_code FROM transfer_failures f
   WHERE f.idempotency_scope = p_idempotency_scope AND f.idempotency_key = p_idempotency_key;
  IF FOUND THEN
    outcome := CASE WHEN v_hash = p_request_hash THEN 'idempotency_key_already_failed' ELSE 'idempotency_key_conflict' END;
    original_outcome := CASE WHEN v_hash = p_request_hash THEN v_code END;
    RETURN;
  END IF;
  -- A client retrying, after the upgrade to scoped keys, the very request it sent before: it was
  -- recorded unscoped, and must still be answered as it was, never applied twice. Only the same
  -- request (its hash) matches, so a key someone else used before scoping stays free for this caller.
  SELECT CASE WHEN legacy.transfer_id IS NULL THEN 'idempotency_key_already_failed' ELSE 'exists' END, legacy.transfer_id, legacy.code
    INTO outcome, transfer_id, original_outcome
    FROM (SELECT t.id AS transfer_id, NULL::text AS code FROM transfers t
           WHERE t.idempotency_scope = 'unscoped' AND t.idempotency_key = p_idempotency_key AND t.request_hash = p_request_hash
          UNION ALL
          SELECT NULL, f.code FROM transfer_failures f
           WHERE f.idempotency_scope = 'unscoped' AND f.idempotency_key = p_idempotency_key AND f.request_hash = p_request_hash) AS legacy
   LIMIT 1;
END $function$`;

const OLD_LOCK_ACCOUNTS_EXPIRING = `CREATE OR REPLACE FUNCTION public.ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_due ledger_open_holds[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = ANY(p_account_ids) AND (a.pending_debits > 0 OR a.pending_credits > 0)) THEN
    PERFORM 1 FROM accounts a WHERE a.id = ANY(p_account_ids) ORDER BY a.id FOR UPDATE;
    RETURN;
  END IF;
  v_due := ARRAY(
    SELECT h FROM ledger_open_holds h
     WHERE (h.debit_account_id = ANY(p_account_ids) OR h.credit_account_id = ANY(p_account_ids))
       AND h.timeout_at <= clock_timestamp());
  -- One statement, ascending ids: these accounts and the other sides of their due holds. A hold
  -- that falls due after this look is left to the sweeper: taking its account now would be out of order.
  PERFORM 1 FROM accounts a
   WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM unnest(v_due) d) || ARRAY(SELECT d.credit_account_id FROM unnest(v_due) d))
   ORDER BY a.id FOR UPDATE;
  PERFORM ledger_expire_pending(d.transfer_id) FROM unnest(v_due) d;
END $function$`;

const OLD_TRANSFER_REFUSAL = `CREATE OR REPLACE FUNCTION public.ledger_transfer_refusal(p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_check_limits boolean, p_pending boolean DEFAULT false, p_released bigint DEFAULT 0)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
  v_debit accounts%ROWTYPE;
  v_credit accounts%ROWTYPE;
  v_posted bigint := CASE WHEN p_pending THEN 0 ELSE p_amount END;
  v_reserved bigint := CASE WHEN p_pending THEN p_amount ELSE -p_released END;
BEGIN
  SELECT * INTO v_debit FROM accounts a WHERE a.id = p_debit_account_id;
  SELECT * INTO v_credit FROM accounts a WHERE a.id = p_credit_account_id;
  RETURN CASE
    WHEN p_amount <= 0 THEN 'amount_must_be_positive'
    WHEN p_debit_account_id = p_credit_account_id THEN 'same_account'
    WHEN v_debit.id IS NULL THEN 'debit_account_not_found'
    WHEN v_credit.id IS NULL THEN 'credit_account_not_found'
    WHEN v_debit.currency_id <> v_credit.currency_id THEN 'currency_mismatch'
    WHEN v_debit.status = 'closed' THEN 'debit_account_closed'
    WHEN v_credit.status = 'closed' THEN 'credit_account_closed'
    WHEN v_debit.status = 'frozen' THEN 'debit_account_frozen'
    WHEN v_credit.status = 'frozen' THEN 'credit_account_frozen'
    -- Its own WHEN, evaluated first: the sums below assume an amount within range.
    WHEN p_amount > 9007199254740991 THEN 'balance_out_of_range'
    WHEN NOT ledger_totals_in_range(v_debit.posted_debits + v_posted, v_debit.posted_credits, v_debit.pending_debits + v_reserved, v_debit.pending_credits)
      OR NOT ledger_totals_in_range(v_credit.posted_debits, v_credit.posted_credits + v_posted, v_credit.pending_debits, v_credit.pending_credits + v_reserved)
      THEN 'balance_out_of_range'
    WHEN p_check_limits AND v_debit.lower_limit IS NOT NULL
         AND v_debit.posted_credits - v_debit.posted_debits - v_debit.pending_debits - p_amount < v_debit.lower_limit
      THEN 'exceeds_lower_limit'
    WHEN p_check_limits AND v_credit.upper_limit IS NOT NULL
         AND v_credit.posted_credits + v_credit.pending_credits - v_credit.posted_debits + p_amount > v_credit.upper_limit
      THEN 'exceeds_upper_limit'
  END;
END $function$`;

const OLD_POST = `CREATE OR REPLACE FUNCTION public.ledger_post(p_transfer_id bigint, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_at timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_currency_id bigint;
  v_debit_balance bigint;
  v_debit_version bigint;
  v_credit_balance bigint;
  v_credit_version bigint;
BEGIN
  UPDATE accounts a SET posted_debits = a.posted_debits + p_amount, version = a.version + 1 WHERE a.id = p_debit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version, a.currency_id INTO v_debit_balance, v_debit_version, v_currency_id;
  UPDATE accounts a SET posted_credits = a.posted_credits + p_amount, version = a.version + 1 WHERE a.id = p_credit_account_id
    RETURNING a.posted_credits - a.posted_debits, a.version INTO v_credit_balance, v_credit_version;
  INSERT INTO postings (transfer_id, account_id, currency_id, amount, balance_after, account_version, created_at) VALUES
    (p_transfer_id, p_debit_account_id, v_currency_id, -p_amount, v_debit_balance, v_debit_version, p_at),
    (p_transfer_id, p_credit_account_id, v_currency_id, p_amount, v_credit_balance, v_credit_version, p_at);
END $function$`;

const OLD_CREATE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_create_transfer(p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_idempotency_scope text DEFAULT 'system'::text, p_accounts_locked boolean DEFAULT false)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  -- Both accounts, and the other accounts of their due holds, locked at once in ascending id order
  -- (never these two first and the others after: that order could deadlock with another writer).
  IF NOT p_accounts_locked THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, v_at
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id INTO v_transfer_id;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + p_amount WHERE a.id = p_debit_account_id;
    UPDATE accounts a SET pending_credits = a.pending_credits + p_amount WHERE a.id = p_credit_account_id;
  ELSE
    PERFORM ledger_post(v_transfer_id, p_debit_account_id, p_credit_account_id, p_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const OLD_CREATE_TRANSFERS = `CREATE OR REPLACE FUNCTION public.ledger_create_transfers(p_transfers jsonb, p_linked boolean)
 RETURNS TABLE(item integer, outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_request record;
  v_result record;
BEGIN
  PERFORM ledger_lock_accounts_expiring(ARRAY(SELECT (r->>'debitAccountId')::bigint FROM jsonb_array_elements(p_transfers) r
                                              UNION SELECT (r->>'creditAccountId')::bigint FROM jsonb_array_elements(p_transfers) r));
  FOR v_request IN SELECT r.value AS body, r.ordinality::int AS n FROM jsonb_array_elements(p_transfers) WITH ORDINALITY r LOOP
    IF v_request.body ? 'payerMemberId' AND NOT EXISTS (
         SELECT 1 FROM memberships m
          WHERE m.account_id = (v_request.body->>'debitAccountId')::bigint
            AND m.member_id = (v_request.body->>'payerMemberId')::bigint
            AND m.status = 'active'
            AND (v_request.body->>'withinCommunityId' IS NULL OR m.community_id = (v_request.body->>'withinCommunityId')::bigint)) THEN
      RETURN QUERY SELECT v_request.n, 'not_holder'::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::text;
      EXIT WHEN p_linked;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM ledger_create_transfer(
      v_request.body->>'idempotencyKey', v_request.body->>'requestHash',
      (v_request.body->>'debitAccountId')::bigint, (v_request.body->>'creditAccountId')::bigint, (v_request.body->>'amount')::bigint,
      v_request.body->>'code', v_request.body->>'memo', v_request.body->'metadata',
      coalesce((v_request.body->>'pending')::boolean, false),
      clock_timestamp() + make_interval(secs => (v_request.body->>'timeoutSeconds')::int),
      coalesce(v_request.body->>'idempotencyScope', 'system'), true);
    RETURN QUERY SELECT v_request.n, v_result.outcome, v_result.id, v_result.currency_id, v_result.created_at, v_result.original_outcome;
    EXIT WHEN p_linked AND v_result.outcome NOT IN ('created', 'exists');
  END LOOP;
END $function$`;

const OLD_RESOLVE_PENDING = `CREATE OR REPLACE FUNCTION public.ledger_resolve_pending(p_idempotency_key text, p_request_hash text, p_pending_id bigint, p_action text, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_pending transfers%ROWTYPE;
  v_resolution transfers%ROWTYPE;
  v_amount bigint;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  SELECT * INTO v_pending FROM transfers t WHERE t.id = p_pending_id AND t.kind = 'pending';
  IF NOT FOUND THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_found', NULL);
    RETURN;
  END IF;
  -- Every resolver of this pending transfer queues here; the first to commit wins.
  PERFORM ledger_lock_accounts(v_pending.debit_account_id, v_pending.credit_account_id);
  SELECT * INTO v_resolution FROM transfers t WHERE t.pending_id = p_pending_id;
  v_amount := CASE WHEN p_action = 'post' THEN coalesce(p_amount, v_pending.amount) ELSE v_pending.amount END;
  v_at := clock_timestamp();
  v_refusal := CASE
    WHEN v_resolution.kind = 'post_pending' THEN 'pending_transfer_already_posted'
    WHEN v_resolution.kind = 'void_pending' AND v_resolution.code = 'expired' THEN 'pending_transfer_expired'
    WHEN v_resolution.kind = 'void_pending' THEN 'pending_transfer_already_voided'
    WHEN v_pending.timeout_at IS NOT NULL AND v_pending.timeout_at <= v_at THEN 'pending_transfer_expired'
    WHEN v_amount <= 0 THEN 'amount_must_be_positive'
    WHEN v_amount > v_pending.amount THEN 'exceeds_pending_amount'
    -- Frozen or closed accounts cannot send or receive: a hold on them can still be voided, not posted.
    WHEN p_action = 'post' THEN ledger_transfer_refusal(v_pending.debit_account_id, v_pending.credit_account_id, v_amount, false, false, v_pending.amount)
  END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, pending_id, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount,
            p_code, p_memo, p_metadata, CASE WHEN p_action = 'post' THEN 'post_pending' ELSE 'void_pending' END, p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  IF p_action = 'post' THEN
    PERFORM ledger_post(v_transfer_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const OLD_REVERSE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_reverse_transfer(p_idempotency_key text, p_request_hash text, p_transfer_id bigint, p_reason text, p_force boolean, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_original transfers%ROWTYPE;
  v_refusal text;
  v_metadata jsonb := p_metadata;
  v_widened jsonb;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  SELECT * INTO v_original FROM transfers t WHERE t.id = p_transfer_id;
  IF NOT FOUND OR v_original.kind NOT IN ('direct', 'post_pending') THEN
    RETURN QUERY SELECT * FROM ledger_outcome(CASE WHEN FOUND THEN 'transfer_not_reversible' ELSE 'transfer_not_found' END, NULL);
    RETURN;
  END IF;
  PERFORM ledger_lock_accounts_expiring(ARRAY[v_original.debit_account_id, v_original.credit_account_id]);
  v_refusal := CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.reverses_id = p_transfer_id) THEN 'transfer_already_reversed'
                    ELSE ledger_transfer_refusal(v_original.credit_account_id, v_original.debit_account_id, v_original.amount, NOT p_force) END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  IF p_force THEN
    SELECT jsonb_agg(jsonb_build_object('accountId', a.id::text, 'lowerLimitWas', a.lower_limit::text, 'upperLimitWas', a.upper_limit::text))
      INTO v_widened FROM accounts a
     WHERE (a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL
            AND a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount < a.lower_limit)
        OR (a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL
            AND a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount > a.upper_limit);
    UPDATE accounts a SET lower_limit = least(a.lower_limit, a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount)
     WHERE a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL;
    UPDATE accounts a SET upper_limit = greatest(a.upper_limit, a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount)
     WHERE a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL;
    IF v_widened IS NOT NULL THEN
      v_metadata := v_metadata || jsonb_build_object('limitsWidened', v_widened);
    END IF;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         reverses_id, reason, forced, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_original.currency_id, v_original.credit_account_id, v_original.debit_account_id,
            v_original.amount, 'reversal', p_memo, v_metadata, p_transfer_id, nullif(trim(p_reason), ''), p_force, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  PERFORM ledger_post(v_transfer_id, v_original.credit_account_id, v_original.debit_account_id, v_original.amount, v_at);
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const OLD_CHECK_NEW_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_check_new_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM ledger_assert_transfer_balanced(NEW.id);
  RETURN NULL;
END $function$`;

const OLD_ANNOUNCE_TRANSFER = `CREATE OR REPLACE FUNCTION public.events_announce_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, member_ids)
  SELECT CASE WHEN NEW.reverses_id IS NOT NULL THEN 'transfer.reversed'
              WHEN NEW.kind = 'pending' THEN 'transfer.pending'
              WHEN NEW.kind = 'void_pending' THEN 'transfer.voided'
              ELSE 'transfer.posted' END,
         'transfer', NEW.id::text, c.community_id,
         jsonb_build_object('transferId', NEW.id::text, 'kind', NEW.kind, 'currencyId', NEW.currency_id::text,
                            'debitAccountId', NEW.debit_account_id::text, 'creditAccountId', NEW.credit_account_id::text,
                            'amount', NEW.amount::text, 'code', NEW.code, 'pendingId', NEW.pending_id::text,
                            'reversesId', NEW.reverses_id::text, 'timeoutAt', NEW.timeout_at, 'createdAt', NEW.created_at),
         ARRAY(SELECT m.member_id FROM memberships m WHERE m.account_id IN (NEW.debit_account_id, NEW.credit_account_id) ORDER BY m.member_id)
    FROM currencies c WHERE c.id = NEW.currency_id;
  RETURN NULL;
END $function$`;

const OLD_REFUSE_DATING_IN_CLOSED_PERIOD = `CREATE OR REPLACE FUNCTION public.ledger_refuse_dating_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_periods p WHERE p.currency_id = NEW.currency_id AND NEW.created_at < p.closed_through + interval '1 millisecond') THEN
    RAISE EXCEPTION 'transfer dated % falls in a closed period of currency %', NEW.created_at, NEW.currency_id
      USING ERRCODE = 'PL004', HINT = 'Post the correction in the open period, referring to the original.';
  END IF;
  RETURN NEW;
END $function$`;

const OLD_FUNCTIONS = [
  OLD_CLAIM_KEY,
  OLD_LOCK_ACCOUNTS_EXPIRING,
  OLD_TRANSFER_REFUSAL,
  OLD_POST,
  OLD_CREATE_TRANSFER,
  OLD_CREATE_TRANSFERS,
  OLD_RESOLVE_PENDING,
  OLD_REVERSE_TRANSFER,
  OLD_CHECK_NEW_TRANSFER,
  OLD_ANNOUNCE_TRANSFER,
  OLD_REFUSE_DATING_IN_CLOSED_PERIOD,
];

const OLD_CHECK_NEW_POSTING = `CREATE FUNCTION public.ledger_check_new_posting()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM ledger_assert_transfer_balanced(NEW.transfer_id);
  RETURN NULL;
END $function$`;

const OLD_ASSERT_TRANSFER_BALANCED = `CREATE FUNCTION public.ledger_assert_transfer_balanced(p_transfer_id bigint)
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
END $function$`;
