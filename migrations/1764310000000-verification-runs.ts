import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stored runs of the ledger's invariant check, per community: on demand and on a schedule. */
export class VerificationRuns1764310000000 implements MigrationInterface {
  name = 'VerificationRuns1764310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "verification_runs" ("id" BIGSERIAL NOT NULL, "community_id" bigint NOT NULL, "trigger" character varying(16) NOT NULL, "requested_by" bigint, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "passed" boolean NOT NULL, "checks" jsonb NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" bigint, CONSTRAINT "CHK_verification_runs_trigger" CHECK ("trigger" IN ('on_demand', 'scheduled')), CONSTRAINT "PK_b7dbc4e1be46e62a753e8142b87" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_verification_runs_community" ON "verification_runs"  ("community_id", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "verification_runs" ADD CONSTRAINT "FK_d69b2517bf4c024103346316f14" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "verification_runs" ADD CONSTRAINT "FK_b5cb21fa9d47b24f530b686a90d" FOREIGN KEY ("requested_by") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "verification_runs" ADD CONSTRAINT "FK_d8371eb44718a5f440f2e6cfcba" FOREIGN KEY ("acknowledged_by") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "verification_runs"`);
  }
}
