-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_chain_extend(p_limit integer, p_xmin bigint, p_next_through bigint, p_next_xid bigint)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
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
  -- On this server, xids only grow, and ours was handed out just now: a candidate above it was
  -- recorded by another server's counter (a restored backup), whose transactions have all ended.
  IF p_xmin >= v_horizon.candidate_xid OR v_horizon.candidate_xid > p_next_xid THEN
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
END $function$;
