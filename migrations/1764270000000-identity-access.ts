import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity and access: members and their memberships (each with its own account), community
 * policies as data, sessions, partner apps with hashed keys and consents, login failures for rate
 * limiting, and the append-only audit log. What the database enforces here:
 * - a membership's account is in its community's currency (composite foreign keys);
 * - a membership closes only on a settled account (zero balance, nothing pending), by trigger;
 * - the audit log, like the ledger's history, refuses UPDATE, DELETE and TRUNCATE.
 */
export class IdentityAccess1764270000000 implements MigrationInterface {
  name = 'IdentityAccess1764270000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "members" ("id" BIGSERIAL NOT NULL, "email" character varying(254) NOT NULL, "password_hash" text, "kind" character varying(16) NOT NULL DEFAULT 'person', "display_name" character varying(100) NOT NULL, "bio" character varying(2000) NOT NULL DEFAULT '', "district" character varying(100) NOT NULL DEFAULT '', "skills" text array NOT NULL DEFAULT '{}', "tags" text array NOT NULL DEFAULT '{}', "languages" text array NOT NULL DEFAULT '{}', "is_admin" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2714af51e3f7dd42cf66eeb08d6" UNIQUE ("email"), CONSTRAINT "CHK_members_email_folded" CHECK ("email" = lower("email") AND "email" LIKE '%_@_%'), CONSTRAINT "CHK_members_kind" CHECK ("kind" IN ('person', 'organisation')), CONSTRAINT "PK_28b53062261b996d9c99fa12404" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "partner_apps" ("id" BIGSERIAL NOT NULL, "name" character varying(100) NOT NULL, "community_id" bigint NOT NULL, "scopes" text array NOT NULL, "created_by" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_partner_apps_scopes" CHECK ("scopes" <@ ARRAY['audit:read', 'act_for_member']::text[] AND cardinality("scopes") > 0), CONSTRAINT "PK_95b53671d38ec8155511f95b959" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "actor_member_id" bigint, "actor_role" character varying(16) NOT NULL, "partner_app_id" bigint, "action" character varying(64) NOT NULL, "community_id" bigint, "target_type" character varying(32) NOT NULL, "target_id" character varying(64) NOT NULL, "reason" character varying(1000), "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_audit_log_actor_role" CHECK ("actor_role" IN ('admin', 'coordinator', 'member', 'partner', 'system')), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_target" ON "audit_log"  ("target_type", "target_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_community" ON "audit_log"  ("community_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" BIGSERIAL NOT NULL, "partner_app_id" bigint NOT NULL, "key_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_57384430aa1959f4578046c9b81" UNIQUE ("key_hash"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_api_keys_one_live_key_per_app" ON "api_keys"  ("partner_app_id") WHERE "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("id" BIGSERIAL NOT NULL, "email" character varying(254) NOT NULL, "address" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8211e8ec810fd7f976b98ce97a0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_login_failures_address" ON "login_failures"  ("address", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_login_failures_email" ON "login_failures"  ("email", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "partner_consents" ("id" BIGSERIAL NOT NULL, "partner_app_id" bigint NOT NULL, "member_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8e432eadd33f1caa49e5368ba25" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_partner_consents_live" ON "partner_consents"  ("partner_app_id", "member_id") WHERE "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" BIGSERIAL NOT NULL, "member_id" bigint NOT NULL, "access_token_hash" character(64) NOT NULL, "access_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "refresh_token_hash" character(64) NOT NULL, "refresh_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_88ef72a4c63fc332c665ba28fd1" UNIQUE ("access_token_hash"), CONSTRAINT "UQ_d6185b2849a1e4d0c067a57ca89" UNIQUE ("refresh_token_hash"), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_sessions_member" ON "sessions"  ("member_id") `);
    await queryRunner.query(
      `CREATE TABLE "retired_refresh_tokens" ("token_hash" character(64) NOT NULL, "session_id" bigint NOT NULL, CONSTRAINT "PK_e7a5086431f93a7c2d388933f95" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "memberships" ("id" BIGSERIAL NOT NULL, "member_id" bigint NOT NULL, "community_id" bigint NOT NULL, "currency_id" bigint NOT NULL, "account_id" bigint NOT NULL, "role" character varying(16) NOT NULL DEFAULT 'member', "status" character varying(16) NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "approved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_cc6ac2e484c2f6e53d13ce1a97c" UNIQUE ("account_id"), CONSTRAINT "CHK_memberships_closed_at" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL)), CONSTRAINT "CHK_memberships_status" CHECK ("status" IN ('pending', 'active', 'suspended', 'closed')), CONSTRAINT "CHK_memberships_role" CHECK ("role" IN ('member', 'coordinator')), CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_memberships_community" ON "memberships"  ("community_id", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_memberships_open_per_community" ON "memberships"  ("member_id", "community_id") WHERE "status" <> 'closed'`,
    );
    await queryRunner.query(
      `CREATE TABLE "invitations" ("id" BIGSERIAL NOT NULL, "membership_id" bigint NOT NULL, "invited_by" bigint NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_872ac94a64b3d44fc4b554780cd" UNIQUE ("token_hash"), CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "communities" ADD "starter_grant" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "default_lower_limit" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "default_upper_limit" bigint`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "auto_confirm_seconds" integer NOT NULL DEFAULT '259200'`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "hold_timeout_seconds" integer NOT NULL DEFAULT '604800'`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "balances_visible" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `ALTER TABLE "communities" ADD CONSTRAINT "CHK_communities_hold_timeout" CHECK ("hold_timeout_seconds" BETWEEN 60 AND 604800)`,
    );
    await queryRunner.query(
      `ALTER TABLE "communities" ADD CONSTRAINT "CHK_communities_auto_confirm" CHECK ("auto_confirm_seconds" BETWEEN 60 AND 7776000)`,
    );
    await queryRunner.query(
      `ALTER TABLE "communities" ADD CONSTRAINT "CHK_communities_default_limits" CHECK ("default_lower_limit" <= 0 AND ("default_upper_limit" IS NULL OR "default_upper_limit" >= "starter_grant"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "communities" ADD CONSTRAINT "CHK_communities_starter_grant" CHECK ("starter_grant" >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "currencies" ADD CONSTRAINT "UQ_currencies_id_community" UNIQUE ("id", "community_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner_apps" ADD CONSTRAINT "FK_15ae0fdaa3e7a68f788a158bc34" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner_apps" ADD CONSTRAINT "FK_d12387f96fb3dafd2797e1ec994" FOREIGN KEY ("created_by") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "FK_4be48171b71cfe9711c37f65b9e" FOREIGN KEY ("actor_member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "FK_a101b0eeafe1b4e659d6f3f1e11" FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "FK_d8e245cc527ebafc225c38ff101" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_6ae553fe6fb382f22828edee5d3" FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner_consents" ADD CONSTRAINT "FK_569c046e769ad0353c802880a71" FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "partner_consents" ADD CONSTRAINT "FK_ac086fa975a2c206ffa4120dfc7" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_32520aa49cd5a4acd571e81f752" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_311e13f02077ece49fd0a737563" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_5c1ee6007d9085076697a48dea0" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_52e79f2b939a957c926a69122b2" FOREIGN KEY ("currency_id", "community_id") REFERENCES "currencies"("id","community_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memberships" ADD CONSTRAINT "FK_5556b62c5526556e05e88f279f1" FOREIGN KEY ("account_id", "currency_id") REFERENCES "accounts"("id","currency_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_39772d84b4df08bd411860b0fb1" FOREIGN KEY ("membership_id") REFERENCES "memberships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_29b1cef6891d9b9d4e35f793b81" FOREIGN KEY ("invited_by") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retired_refresh_tokens" ADD CONSTRAINT "FK_7aeb762d817af235814edc9e782" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(AUDIT_LOG_APPEND_ONLY);
    await queryRunner.query(MEMBERSHIP_CLOSES_SETTLED);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION members_check_membership_settled CASCADE`);
    for (const table of [
      'audit_log',
      'invitations',
      'memberships',
      'retired_refresh_tokens',
      'sessions',
      'partner_consents',
      'login_failures',
      'api_keys',
      'partner_apps',
      'members',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
    await queryRunner.query(`ALTER TABLE "currencies" DROP CONSTRAINT "UQ_currencies_id_community"`);
    for (const column of [
      'starter_grant',
      'default_lower_limit',
      'default_upper_limit',
      'auto_confirm_seconds',
      'hold_timeout_seconds',
      'balances_visible',
    ]) {
      await queryRunner.query(`ALTER TABLE "communities" DROP COLUMN "${column}"`);
    }
  }
}

const AUDIT_LOG_APPEND_ONLY = `
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();`;

/** Closing a membership with money still on its account (or reserved) would strand that money. */
const MEMBERSHIP_CLOSES_SETTLED = `
CREATE FUNCTION members_check_membership_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM accounts a WHERE a.id = NEW.account_id
              AND (a.posted_credits <> a.posted_debits OR a.pending_debits <> 0 OR a.pending_credits <> 0)) THEN
    RAISE EXCEPTION 'membership % cannot close: its account % is not settled', NEW.id, NEW.account_id USING ERRCODE = 'PL003';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER memberships_close_settled BEFORE UPDATE OF status ON memberships
  FOR EACH ROW WHEN (NEW.status = 'closed' AND OLD.status <> 'closed') EXECUTE FUNCTION members_check_membership_settled();`;
