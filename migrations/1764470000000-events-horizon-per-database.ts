import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's horizon counts only this database's transactions. It was the snapshot's xmin: the
 * oldest transaction running anywhere on the PostgreSQL server, so a long write in another database
 * (another application's batch, a migration, a second Pumasi) held back every event of this one
 * until it ended. A transaction of another database cannot write this outbox, so it is left out
 * when pg_stat_activity names its database (which it shows every role, with the transaction id).
 * A running transaction it does not show, such as one that ended meanwhile, still counts: the
 * horizon may come out lower than it could, never higher.
 */
export class EventsHorizonPerDatabase1764470000000 implements MigrationInterface {
  name = 'EventsHorizonPerDatabase1764470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(publish(HORIZON_OF_THIS_DATABASE));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(publish(HORIZON_OF_THE_SERVER));
  }
}

const HORIZON_OF_THE_SERVER = `v_horizon := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;`;

/**
 * The oldest transaction still running in this database, else the next one to start: every
 * transaction below it has ended, so its events are visible to the statements that follow. The
 * snapshot's running xids are 64-bit; pg_stat_activity's are their low 32 bits.
 */
const HORIZON_OF_THIS_DATABASE = `v_snapshot := pg_current_snapshot();
  SELECT coalesce(min(x.xid::text::bigint), pg_snapshot_xmax(v_snapshot)::text::bigint) INTO v_horizon
    FROM pg_snapshot_xip(v_snapshot) AS x(xid)
   WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                      WHERE a.backend_xid::text::bigint = x.xid::text::bigint % 4294967296
                        AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()));`;

/** events_publish (migration 1764400000000 says why each step is there), with the given horizon. */
const publish = (horizon: string): string => `CREATE OR REPLACE FUNCTION events_publish(p_limit integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  v_snapshot pg_snapshot;
  v_horizon bigint;
  v_last bigint;
  v_count integer;
BEGIN
  PERFORM pg_advisory_xact_lock(7302, 1);
  ${horizon}
  SELECT coalesce(max(o.position), 0) INTO v_last FROM outbox_events o WHERE o.position IS NOT NULL;
  WITH batch AS (
    SELECT o.id FROM outbox_events o WHERE o.published_at IS NULL AND o.xid < v_horizon ORDER BY o.id LIMIT p_limit
  ), numbered AS (SELECT b.id, v_last + row_number() OVER (ORDER BY b.id) AS position FROM batch b)
  UPDATE outbox_events o SET position = n.position, published_at = clock_timestamp() FROM numbered n WHERE o.id = n.id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('pumasi_events', (v_last + v_count)::text);
  END IF;
  RETURN v_count;
END $$`;
