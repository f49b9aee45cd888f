import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange state machine, enforced by the database as well: exchange_transitions lists every
 * move an exchange may make (from_status null: the status it starts in; only_for: a move for single
 * exchanges or group places only), and a trigger refuses any other status, on insert or update,
 * whatever SQL reaches the table.
 */
export class ExchangeStateMachine1764360000000 implements MigrationInterface {
  name = 'ExchangeStateMachine1764360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "exchange_transitions" (
      "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "only_for" character varying(6),
      CONSTRAINT "UQ_exchange_transitions_move" UNIQUE NULLS NOT DISTINCT ("from_status", "to_status"),
      CONSTRAINT "CHK_exchange_transitions_only_for" CHECK ("only_for" IN ('single', 'group')))`);
    await queryRunner.query(SEED_TRANSITIONS);
    await queryRunner.query(ENFORCE_TRANSITIONS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER exchanges_state_machine ON exchanges`);
    await queryRunner.query(`DROP FUNCTION exchanges_enforce_transitions()`);
    await queryRunner.query(`DROP TABLE "exchange_transitions"`);
  }
}

/**
 * A copy of EXCHANGE_TRANSITIONS (src/exchanges/exchange-states.ts) as of this migration, without
 * who may act, which only the service knows: a migration is history and never imports runtime
 * code. test/db/exchange-state-machine.test.ts keeps the two equal; a change to the moves is a new
 * migration.
 */
const SEED_TRANSITIONS = `
INSERT INTO exchange_transitions (from_status, to_status, only_for) VALUES
  (NULL, 'proposed', NULL),
  ('proposed', 'accepted', NULL),
  ('proposed', 'cancelled', NULL),
  ('accepted', 'delivered', 'single'),
  ('accepted', 'confirmed', 'group'),
  ('accepted', 'cancelled', NULL),
  ('accepted', 'expired', NULL),
  ('delivered', 'confirmed', 'single'),
  ('delivered', 'disputed', NULL),
  ('disputed', 'resolved', NULL)`;

/**
 * PL005, like the ledger's own refusals (PL001…PL004): a move no row allows, a status unchanged
 * included, since the service never rewrites a status onto itself.
 */
const ENFORCE_TRANSITIONS = `
CREATE FUNCTION exchanges_enforce_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from character varying;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    v_from := OLD.status;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM exchange_transitions t
     WHERE t.from_status IS NOT DISTINCT FROM v_from AND t.to_status = NEW.status
       AND (t.only_for IS NULL OR t.only_for = CASE WHEN NEW.group_id IS NULL THEN 'single' ELSE 'group' END)
  ) THEN
    RAISE EXCEPTION 'exchange %: no move from % to %', NEW.id, coalesce(v_from, '(start)'), NEW.status
      USING ERRCODE = 'PL005', HINT = 'The moves an exchange may make are the rows of exchange_transitions.';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER exchanges_state_machine BEFORE INSERT OR UPDATE OF status ON exchanges
  FOR EACH ROW EXECUTE FUNCTION exchanges_enforce_transitions();`;
