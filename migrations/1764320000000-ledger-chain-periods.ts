import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper evidence and closed periods:
 * - every transfer of a currency is chained by hashes (`ledger_chain`), by `ledger_chain_extend`,
 *   which the chainer calls off the write path; checkpoints commit to the chain periodically;
 * - a closed period (`ledger_periods`) keeps the balances it closed on, and no transfer may be
 *   dated inside it.
 * All four history tables are append-only.
 */
export class LedgerChainPeriods1764320000000 implements MigrationInterface {
  name = 'LedgerChainPeriods1764320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ledger_chain" ("currency_id" bigint NOT NULL, "position" bigint NOT NULL, "transfer_id" bigint NOT NULL, "salts" bytea NOT NULL, "entry_hash" bytea NOT NULL, "chain_hash" bytea NOT NULL, "chained_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ledger_chain_transfer" UNIQUE ("transfer_id"), CONSTRAINT "CHK_ledger_chain_hash_sizes" CHECK (length("entry_hash") = 32 AND length("chain_hash") = 32 AND length("salts") = 32), CONSTRAINT "CHK_ledger_chain_position" CHECK ("position" > 0), CONSTRAINT "PK_831a77d70889d3083b3ead6270c" PRIMARY KEY ("currency_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_chain_heads" ("currency_id" bigint NOT NULL, "position" bigint NOT NULL, "chain_hash" bytea NOT NULL, CONSTRAINT "CHK_ledger_chain_heads_position" CHECK ("position" >= 0 AND length("chain_hash") = 32), CONSTRAINT "PK_76b08c275f9ebbd9ea2a40a45f7" PRIMARY KEY ("currency_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_chain_horizon" ("id" integer NOT NULL, "chained_through" bigint NOT NULL, "final_through" bigint NOT NULL, "candidate_through" bigint NOT NULL, "candidate_xid" bigint NOT NULL, CONSTRAINT "CHK_ledger_chain_horizon_order" CHECK ("chained_through" <= "final_through" AND "final_through" <= "candidate_through"), CONSTRAINT "CHK_ledger_chain_horizon_single_row" CHECK ("id" = 1), CONSTRAINT "PK_8e762445be27a7159617d6f025b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_checkpoints" ("id" BIGSERIAL NOT NULL, "currency_id" bigint NOT NULL, "sequence" bigint NOT NULL, "from_position" bigint NOT NULL, "position" bigint NOT NULL, "chain_hash" bytea NOT NULL, "merkle_root" bytea NOT NULL, "previous_hash" bytea NOT NULL, "checkpoint_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ledger_checkpoints_sequence" UNIQUE ("currency_id", "sequence"), CONSTRAINT "CHK_ledger_checkpoints_hash_sizes" CHECK (length("chain_hash") = 32 AND length("merkle_root") = 32 AND length("previous_hash") = 32 AND length("checkpoint_hash") = 32), CONSTRAINT "CHK_ledger_checkpoints_range" CHECK ("sequence" > 0 AND "from_position" >= 0 AND "position" > "from_position"), CONSTRAINT "PK_8f414f361f1ace6f484ab232877" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_periods" ("id" BIGSERIAL NOT NULL, "currency_id" bigint NOT NULL, "closed_through" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_by" bigint, "note" character varying(500) NOT NULL, CONSTRAINT "PK_a48f13204873fd040e89220e8b7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ledger_periods_currency_through" ON "ledger_periods"  ("currency_id", "closed_through") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_period_balances" ("period_id" bigint NOT NULL, "account_id" bigint NOT NULL, "balance" bigint NOT NULL, CONSTRAINT "PK_6c5bef10fbd404e63100f2835e4" PRIMARY KEY ("period_id", "account_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_chain" ADD CONSTRAINT "FK_5c8e7a58975bd1fe09f62ce19b1" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_chain" ADD CONSTRAINT "FK_ede48e730c093d5ca6d68328b9c" FOREIGN KEY ("transfer_id") REFERENCES "transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_chain_heads" ADD CONSTRAINT "FK_76b08c275f9ebbd9ea2a40a45f7" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_checkpoints" ADD CONSTRAINT "FK_27f0eb993ed80e07d78fbc6a235" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_periods" ADD CONSTRAINT "FK_07550d61f48817e77fa95042992" FOREIGN KEY ("currency_id") REFERENCES "currencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_periods" ADD CONSTRAINT "FK_abac898e017f7344628267e4c20" FOREIGN KEY ("closed_by") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_period_balances" ADD CONSTRAINT "FK_0d5bc78cc5e9383622dd209caa2" FOREIGN KEY ("period_id") REFERENCES "ledger_periods"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_period_balances" ADD CONSTRAINT "FK_b0d2c255708ed27a36bfb6b1c44" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    for (const table of ['ledger_chain', 'ledger_checkpoints', 'ledger_periods', 'ledger_period_balances']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change()`,
      );
    }
    await queryRunner.query(
      `INSERT INTO ledger_chain_horizon (id, chained_through, final_through, candidate_through, candidate_xid) VALUES (1, 0, 0, 0, 0)`,
    );
    await queryRunner.query(ENTRY_TEXT_FUNCTION);
    await queryRunner.query(CHAIN_EXTEND_FUNCTION);
    await queryRunner.query(CLOSED_PERIOD_GUARD);
    await queryRunner.query(CLOSE_PERIOD_FUNCTION);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER transfers_outside_closed_periods ON transfers`);
    for (const fn of [
      'ledger_close_period',
      'ledger_refuse_dating_in_closed_period',
      'ledger_chain_extend',
      'ledger_chain_move_head',
      'ledger_entry_text',
      'ledger_posting_commitment',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    for (const table of [
      'ledger_period_balances',
      'ledger_periods',
      'ledger_checkpoints',
      'ledger_chain_horizon',
      'ledger_chain_heads',
      'ledger_chain',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

/*
 * The canonical text of a transfer and its postings, which the chain hashes (SHA-256 of its UTF-8
 * bytes). Free text (the memo) enters as its own hash; timestamps are UTC with microseconds; each
 * posting ("account:amount:balance_after:version") enters as SHA-256(its salt ‖ its text), the
 * debit's salt being the first 16 bytes of p_salts. Metadata is left out.
 */
const ENTRY_TEXT_FUNCTION = `
CREATE FUNCTION ledger_posting_commitment(p_salt bytea, p_posting postings) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN p_posting.id IS NULL THEN ''
              ELSE encode(sha256(p_salt || convert_to(concat_ws(':', p_posting.account_id, p_posting.amount, p_posting.balance_after, p_posting.account_version), 'UTF8')), 'hex') END
$$;
CREATE FUNCTION ledger_entry_text(p_transfer transfers, p_salts bytea, p_debit postings, p_credit postings) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT concat_ws('|', 'pumasi-entry-v1', p_transfer.id, p_transfer.currency_id, p_transfer.kind, p_transfer.debit_account_id,
                   p_transfer.credit_account_id, p_transfer.amount, coalesce(p_transfer.pending_id::text, ''), coalesce(p_transfer.reverses_id::text, ''),
                   p_transfer.code, encode(sha256(convert_to(p_transfer.memo, 'UTF8')), 'hex'),
                   to_char(p_transfer.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   ledger_posting_commitment(substring(p_salts FROM 1 FOR 16), p_debit),
                   ledger_posting_commitment(substring(p_salts FROM 17 FOR 16), p_credit))
$$;
`;

/*
 * Chains up to p_limit transfers, in id order, among those known final; returns how many. One
 * caller at a time across replicas (the others skip). The caller reads, each in its own statement
 * before the call (a function's statements may share the call's snapshot, so it cannot read them
 * itself): p_xmin, the oldest transaction still running; then the last transfer id handed out;
 * then p_next_xid, a transaction id of its own, later than that of every transaction that could
 * hold an id up to it (each write path takes its row locks, and so its id, before its transfer
 * id). Once p_xmin passes a candidate's id, all of those have ended, and this call's queries,
 * which begin later, see them. Each currency's head is read and written once per batch, and the
 * links are inserted at once.
 */
const CHAIN_EXTEND_FUNCTION = `
CREATE FUNCTION ledger_chain_extend(p_limit int, p_xmin bigint, p_next_through bigint, p_next_xid bigint) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  v_horizon ledger_chain_horizon%ROWTYPE;
  v_through bigint;
  v_count int;
  v_row record;
  v_currency bigint;
  v_position bigint;
  v_chain bytea;
  v_salts bytea;
  v_entry bytea;
  v_currencies bigint[] := '{}';
  v_positions bigint[] := '{}';
  v_transfers bigint[] := '{}';
  v_all_salts bytea[] := '{}';
  v_entries bytea[] := '{}';
  v_chains bytea[] := '{}';
BEGIN
  SELECT * INTO v_horizon FROM ledger_chain_horizon WHERE id = 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  IF p_xmin >= v_horizon.candidate_xid THEN
    v_horizon.final_through := v_horizon.candidate_through;
    v_horizon.candidate_through := greatest(p_next_through, v_horizon.candidate_through);
    v_horizon.candidate_xid := p_next_xid;
  END IF;

  SELECT count(*), max(batch.id) INTO v_count, v_through
    FROM (SELECT t.id FROM transfers t WHERE t.id > v_horizon.chained_through AND t.id <= v_horizon.final_through ORDER BY t.id LIMIT p_limit) batch;
  IF v_count < p_limit THEN
    v_through := v_horizon.final_through;
  END IF;

  FOR v_row IN
    SELECT t.id, t.currency_id, t AS transfer, d AS debit, c AS credit FROM transfers t
      LEFT JOIN postings d ON d.transfer_id = t.id AND d.amount < 0
      LEFT JOIN postings c ON c.transfer_id = t.id AND c.amount > 0
     WHERE t.id > v_horizon.chained_through AND t.id <= v_through
     ORDER BY t.currency_id, t.id
  LOOP
    IF v_currency IS DISTINCT FROM v_row.currency_id THEN
      IF v_currency IS NOT NULL THEN
        PERFORM ledger_chain_move_head(v_currency, v_position, v_chain);
      END IF;
      v_currency := v_row.currency_id;
      SELECT h.position, h.chain_hash INTO v_position, v_chain FROM ledger_chain_heads h WHERE h.currency_id = v_currency;
      IF NOT FOUND THEN
        -- A currency's first link follows 32 zero bytes.
        v_position := 0;
        v_chain := decode(repeat('00', 32), 'hex');
      END IF;
    END IF;
    v_salts := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
    v_entry := sha256(convert_to(ledger_entry_text(v_row.transfer, v_salts, v_row.debit, v_row.credit), 'UTF8'));
    v_position := v_position + 1;
    v_chain := sha256(v_chain || v_entry);
    v_currencies := v_currencies || v_currency;
    v_positions := v_positions || v_position;
    v_transfers := v_transfers || v_row.id;
    v_all_salts := v_all_salts || v_salts;
    v_entries := v_entries || v_entry;
    v_chains := v_chains || v_chain;
  END LOOP;
  IF v_currency IS NOT NULL THEN
    PERFORM ledger_chain_move_head(v_currency, v_position, v_chain);
  END IF;
  INSERT INTO ledger_chain (currency_id, position, transfer_id, salts, entry_hash, chain_hash)
    SELECT * FROM unnest(v_currencies, v_positions, v_transfers, v_all_salts, v_entries, v_chains);

  UPDATE ledger_chain_horizon SET chained_through = coalesce(v_through, v_horizon.chained_through), final_through = v_horizon.final_through,
         candidate_through = v_horizon.candidate_through, candidate_xid = v_horizon.candidate_xid
   WHERE id = 1;
  RETURN cardinality(v_transfers);
END $$;
CREATE FUNCTION ledger_chain_move_head(p_currency_id bigint, p_position bigint, p_chain_hash bytea) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ledger_chain_heads (currency_id, position, chain_hash) VALUES (p_currency_id, p_position, p_chain_hash)
    ON CONFLICT (currency_id) DO UPDATE SET position = excluded.position, chain_hash = excluded.chain_hash
$$;
`;

const CLOSED_PERIOD_GUARD = `
CREATE FUNCTION ledger_refuse_dating_in_closed_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_periods p WHERE p.currency_id = NEW.currency_id AND NEW.created_at < p.closed_through + interval '1 millisecond') THEN
    RAISE EXCEPTION 'transfer dated % falls in a closed period of currency %', NEW.created_at, NEW.currency_id
      USING ERRCODE = 'PL004', HINT = 'Post the correction in the open period, referring to the original.';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER transfers_outside_closed_periods BEFORE INSERT ON transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_dating_in_closed_period();
`;

/*
 * Closes a currency's period through p_through and records every account's balance at that
 * instant: the sum of its postings dated up to it, the instant counting as its whole millisecond
 * (the API's precision), as the balance reports count it. Every write path dates its transfer under its
 * accounts' locks, so sharing every account's lock waits out the transfers in flight, and any
 * transfer after the close is dated after it: the balances are final, and the trigger is only a
 * second line.
 */
const CLOSE_PERIOD_FUNCTION = `
CREATE FUNCTION ledger_close_period(p_currency_id bigint, p_through timestamptz, p_closed_by bigint, p_note text)
RETURNS TABLE (outcome text, period_id bigint) LANGUAGE plpgsql AS $$
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
END $$;
`;
