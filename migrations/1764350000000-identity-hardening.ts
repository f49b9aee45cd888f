import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits counted in PostgreSQL, so that they hold across replicas: one counter row per limited
 * thing, changed only by rate_limit_take, which checks and counts in one statement. It replaces
 * login_failures, whose separate count-then-record let a burst of concurrent logins through.
 */
export class IdentityHardening1764350000000 implements MigrationInterface {
  name = 'IdentityHardening1764350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limit_counters" ("key" text NOT NULL, "hits" integer NOT NULL, "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_rate_limit_counters_hits" CHECK ("hits" >= 0), CONSTRAINT "PK_ad665f1998311a7bd0e8265365d" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_rate_limit_counters_window_end" ON "rate_limit_counters"  ("window_ends_at") `,
    );
    await queryRunner.query(RATE_LIMIT_TAKE);
    await queryRunner.query(`DROP TABLE "login_failures"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("id" BIGSERIAL NOT NULL, "email" character varying(254) NOT NULL, "address" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8211e8ec810fd7f976b98ce97a0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_login_failures_address" ON "login_failures"  ("address", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_login_failures_email" ON "login_failures"  ("email", "created_at") `);
    await queryRunner.query(`DROP FUNCTION rate_limit_take(text[], integer[], integer[])`);
    await queryRunner.query(`DROP TABLE "rate_limit_counters"`);
  }
}

/**
 * Takes one hit on every counter named, or on none: 0 when taken, otherwise the seconds until the
 * fullest counter's window ends. The counters are locked in key order (so that two requests sharing
 * counters cannot deadlock) before they are read, which makes check and count one atomic step: a
 * burst of concurrent requests gets exactly the limit. A refused request counts nowhere, so being
 * refused on one counter (an address that guessed) does not use up another (the account's).
 * Counters idle for a day are pruned a few at a time, so that the table stays small.
 */
const RATE_LIMIT_TAKE = `
CREATE FUNCTION rate_limit_take(p_keys text[], p_limits integer[], p_window_seconds integer[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := clock_timestamp();
  v_retry_after integer;
BEGIN
  DELETE FROM rate_limit_counters WHERE key IN (
    SELECT key FROM rate_limit_counters WHERE window_ends_at < v_now - interval '1 day' AND key <> ALL (p_keys)
     ORDER BY window_ends_at LIMIT 10 FOR UPDATE SKIP LOCKED);

  INSERT INTO rate_limit_counters (key, hits, window_ends_at)
  SELECT key, 0, v_now FROM unnest(p_keys) AS key ORDER BY key
  ON CONFLICT (key) DO NOTHING;

  SELECT coalesce(max(ceil(extract(epoch FROM counter.window_ends_at - v_now))), 0)::integer INTO v_retry_after
    FROM (SELECT * FROM rate_limit_counters WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE) AS counter
    JOIN unnest(p_keys, p_limits) AS limits(key, max_hits) USING (key)
   WHERE counter.window_ends_at > v_now AND counter.hits >= limits.max_hits;
  IF v_retry_after > 0 THEN
    RETURN v_retry_after;
  END IF;

  UPDATE rate_limit_counters AS counter
     SET hits = CASE WHEN counter.window_ends_at > v_now THEN counter.hits + 1 ELSE 1 END,
         window_ends_at = CASE WHEN counter.window_ends_at > v_now THEN counter.window_ends_at ELSE v_now + make_interval(secs => windows.seconds) END
    FROM unnest(p_keys, p_window_seconds) AS windows(key, seconds)
   WHERE counter.key = windows.key;
  RETURN 0;
END $$`;
