import { MigrationInterface, QueryRunner } from 'typeorm';

/** Short-lived CSV export links (reports): only the SHA-256 of each token is stored, with the export's fixed parameters. */
export class ReportExports1764330000000 implements MigrationInterface {
  name = 'ReportExports1764330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_exports" ("id" BIGSERIAL NOT NULL, "token_hash" character(64) NOT NULL, "community_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "account_id" bigint, "period_from" TIMESTAMP WITH TIME ZONE, "period_to" TIMESTAMP WITH TIME ZONE, "as_of" TIMESTAMP WITH TIME ZONE, "requester" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_855b131faff455871d09da47532" UNIQUE ("token_hash"), CONSTRAINT "CHK_report_exports_parameters" CHECK (CASE WHEN "kind" = 'balances' THEN "as_of" IS NOT NULL AND "period_to" IS NULL AND "period_from" IS NULL ELSE "as_of" IS NULL AND "period_to" IS NOT NULL AND ("period_from" IS NULL OR "period_from" <= "period_to") END), CONSTRAINT "CHK_report_exports_statement_names_account" CHECK (("kind" = 'statement') = ("account_id" IS NOT NULL)), CONSTRAINT "CHK_report_exports_kind" CHECK ("kind" IN ('statement', 'transfers', 'balances')), CONSTRAINT "PK_831f34e4d6c47ec2bb42a614465" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_report_exports_expiry" ON "report_exports"  ("expires_at") `);
    await queryRunner.query(
      `ALTER TABLE "report_exports" ADD CONSTRAINT "FK_0d414ff6fe54958d75ecfa7aac9" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_exports" ADD CONSTRAINT "FK_e8bf5a35f8c8bcca9aefbbbddda" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_exports"`);
  }
}
