import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth for partner apps: the OAuth server's stored state (oauth_payloads) and the metadata a
 * member checks before approving an app (its redirect URIs, owner, website, logo and contact).
 * Withdrawing a consent, or revoking an app, deletes the tokens issued under it in the same
 * transaction, whichever service made the change: nothing issued before can be refreshed or used,
 * and a later consent starts from nothing.
 */
export class OAuth1764380000000 implements MigrationInterface {
  name = 'OAuth1764380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "oauth_payloads" ("model" character varying(40) NOT NULL,
      "id" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "grant_id" character varying(100),
      "uid" character varying(100), "partner_app_id" bigint, "member_id" bigint,
      "expires_at" TIMESTAMP WITH TIME ZONE, "consumed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_3a37501d0eddd5a16d3ef485937" PRIMARY KEY ("model", "id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_oauth_payloads_expiry" ON "oauth_payloads"  ("expires_at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_oauth_payloads_app_member" ON "oauth_payloads"  ("partner_app_id", "member_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_oauth_payloads_uid" ON "oauth_payloads"  ("uid") `);
    await queryRunner.query(`CREATE INDEX "IDX_oauth_payloads_grant" ON "oauth_payloads"  ("grant_id") `);
    await queryRunner.query(`ALTER TABLE "partner_apps" ADD "redirect_uris" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "partner_apps" ADD "owner" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "partner_apps" ADD "website_url" character varying(2048)`);
    await queryRunner.query(`ALTER TABLE "partner_apps" ADD "logo_url" character varying(2048)`);
    await queryRunner.query(`ALTER TABLE "partner_apps" ADD "contact_email" character varying(254)`);
    await queryRunner.query(`ALTER TABLE "oauth_payloads" ADD CONSTRAINT "FK_1e2978edd071a829e389440e22f"
      FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "oauth_payloads" ADD CONSTRAINT "FK_a6c383595e9ed6005abdbec8c1b"
      FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(FORGET_WITHDRAWN_CONSENT);
    await queryRunner.query(`CREATE TRIGGER partner_consents_forget_oauth AFTER UPDATE OF revoked_at ON partner_consents
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION oauth_forget_withdrawn_consent()`);
    await queryRunner.query(FORGET_REVOKED_APP);
    await queryRunner.query(`CREATE TRIGGER partner_apps_forget_oauth AFTER UPDATE OF revoked_at ON partner_apps
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION oauth_forget_revoked_app()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER partner_apps_forget_oauth ON partner_apps`);
    await queryRunner.query(`DROP FUNCTION oauth_forget_revoked_app()`);
    await queryRunner.query(`DROP TRIGGER partner_consents_forget_oauth ON partner_consents`);
    await queryRunner.query(`DROP FUNCTION oauth_forget_withdrawn_consent()`);
    await queryRunner.query(`ALTER TABLE "oauth_payloads" DROP CONSTRAINT "FK_a6c383595e9ed6005abdbec8c1b"`);
    await queryRunner.query(`ALTER TABLE "oauth_payloads" DROP CONSTRAINT "FK_1e2978edd071a829e389440e22f"`);
    await queryRunner.query(`ALTER TABLE "partner_apps" DROP COLUMN "contact_email"`);
    await queryRunner.query(`ALTER TABLE "partner_apps" DROP COLUMN "logo_url"`);
    await queryRunner.query(`ALTER TABLE "partner_apps" DROP COLUMN "website_url"`);
    await queryRunner.query(`ALTER TABLE "partner_apps" DROP COLUMN "owner"`);
    await queryRunner.query(`ALTER TABLE "partner_apps" DROP COLUMN "redirect_uris"`);
    await queryRunner.query(`DROP TABLE "oauth_payloads"`);
  }
}

/** A withdrawn consent takes the codes, tokens and grants issued to that app for that member with it. */
const FORGET_WITHDRAWN_CONSENT = `
CREATE FUNCTION oauth_forget_withdrawn_consent() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM oauth_payloads WHERE partner_app_id = NEW.partner_app_id AND member_id = NEW.member_id;
  RETURN NULL;
END $$`;

/** A revoked app loses every code, token and grant it was issued, for every member. */
const FORGET_REVOKED_APP = `
CREATE FUNCTION oauth_forget_revoked_app() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM oauth_payloads WHERE partner_app_id = NEW.id;
  RETURN NULL;
END $$`;
