import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, webhooks: partner apps' endpoints and the log of deliveries to them, which is also the
 * worker's queue (a plain table read with FOR UPDATE SKIP LOCKED, not a queue library's schema:
 * docs/operations.md, "Webhooks", says why). The service manages both tables, so it may write them.
 */
export class Webhooks1764420000000 implements MigrationInterface {
  name = 'Webhooks1764420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("id" BIGSERIAL NOT NULL, "partner_app_id" bigint NOT NULL, "url" character varying(2048) NOT NULL, "types" text array NOT NULL, "description" character varying(200), "secret" character varying(100) NOT NULL, "previous_secret" character varying(100), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(16), "after_position" bigint NOT NULL, "failing_since" TIMESTAMP WITH TIME ZONE, "leased_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_webhook_endpoints_disabled_reason" CHECK ("disabled_reason" IN ('failing', 'owner')), CONSTRAINT "CHK_webhook_endpoints_types" CHECK (cardinality("types") > 0), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" BIGSERIAL NOT NULL, "endpoint_id" bigint NOT NULL, "event_position" bigint NOT NULL, "event_type" character varying(64) NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE DEFAULT now(), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "response_status" integer, "response_excerpt" character varying(200), "error" character varying(200), "redelivery_of" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_webhook_deliveries_status" CHECK ("status" IN ('pending', 'succeeded', 'failed')), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_endpoints_partner_app" ON "webhook_endpoints" ("partner_app_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_webhook_deliveries_event" ON "webhook_deliveries" ("endpoint_id", "event_position") WHERE "redelivery_of" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_pending" ON "webhook_deliveries" ("endpoint_id", "id") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "FK_7721f6643ae9aa1506032b1f62b" FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_700e5e2f971a7d0ee2cd19c0d72" FOREIGN KEY ("redelivery_of") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      'GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_deliveries TO pumasi_service',
    );
    await queryRunner.query(
      'GRANT USAGE ON SEQUENCE webhook_endpoints_id_seq, webhook_deliveries_id_seq TO pumasi_service',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "webhook_deliveries"');
    await queryRunner.query('DROP TABLE "webhook_endpoints"');
  }
}
