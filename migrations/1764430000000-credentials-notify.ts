import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, the session cache: when a change to a member's credentials commits (a session
 * revoked or its tokens rotated, a membership's role or status, the admin right), PostgreSQL
 * notifies `pumasi_credentials` with the member's id, so that every replica forgets the sessions
 * it keeps for that member (src/identity/session-cache.ts). In the database, so that no path,
 * whoever writes, can change credentials unheard.
 */
export class CredentialsNotify1764430000000 implements MigrationInterface {
  name = 'CredentialsNotify1764430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TG_ARGV[0] names the column holding the member's id. A transaction's repeated notifications
    // with one payload are sent once, at commit, and none if it rolls back.
    await queryRunner.query(`
      CREATE FUNCTION identity_announce_credentials_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
      BEGIN
        PERFORM pg_notify('pumasi_credentials',
          to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    // Only its triggers call it: no role, the service's included, may call it by itself.
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION identity_announce_credentials_change() FROM PUBLIC');
    await queryRunner.query(`
      CREATE TRIGGER sessions_announce_credentials_change
        AFTER UPDATE OF revoked_at, access_token_hash, access_expires_at OR DELETE ON sessions
        FOR EACH ROW EXECUTE FUNCTION identity_announce_credentials_change('member_id')`);
    await queryRunner.query(`
      CREATE TRIGGER memberships_announce_credentials_change
        AFTER INSERT OR DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION identity_announce_credentials_change('member_id')`);
    await queryRunner.query(`
      CREATE TRIGGER memberships_announce_standing_change
        AFTER UPDATE OF role, status ON memberships
        FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION identity_announce_credentials_change('member_id')`);
    await queryRunner.query(`
      CREATE TRIGGER members_announce_admin_change
        AFTER UPDATE OF is_admin ON members
        FOR EACH ROW WHEN (OLD.is_admin IS DISTINCT FROM NEW.is_admin)
        EXECUTE FUNCTION identity_announce_credentials_change('id')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER members_announce_admin_change ON members');
    await queryRunner.query('DROP TRIGGER memberships_announce_standing_change ON memberships');
    await queryRunner.query('DROP TRIGGER memberships_announce_credentials_change ON memberships');
    await queryRunner.query('DROP TRIGGER sessions_announce_credentials_change ON sessions');
    await queryRunner.query('DROP FUNCTION identity_announce_credentials_change()');
  }
}
