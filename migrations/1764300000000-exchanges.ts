import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchanges (one provider, one receiver, from proposal to settlement, paying only through ledger
 * holds; a group exchange is a place per receiver, settled together), reviews after settlement, and the outbox of events written with each state change.
 * Outbox and reviews are history: append-only, except that an event is marked published once.
 */
export class Exchanges1764300000000 implements MigrationInterface {
  name = 'Exchanges1764300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "exchange_groups" ("id" BIGSERIAL NOT NULL, "community_id" bigint NOT NULL, "listing_id" bigint, "provider_id" bigint NOT NULL, "description" character varying(2000) NOT NULL DEFAULT '', "estimated_amount" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_exchange_groups_estimate" CHECK ("estimated_amount" > 0), CONSTRAINT "PK_c4bee69bb8d2f2f1522045e1088" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "exchanges" ("id" BIGSERIAL NOT NULL, "community_id" bigint NOT NULL, "listing_id" bigint, "group_id" bigint, "proposer_id" bigint NOT NULL, "provider_id" bigint NOT NULL, "provider_account_id" bigint NOT NULL, "receiver_id" bigint NOT NULL, "receiver_account_id" bigint NOT NULL, "description" character varying(2000) NOT NULL DEFAULT '', "status" character varying(16) NOT NULL DEFAULT 'proposed', "estimated_amount" bigint NOT NULL, "actual_amount" bigint, "quantity" integer, "hold_transfer_id" bigint, "due_at" TIMESTAMP WITH TIME ZONE, "reason" character varying(1000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_67d7d71fd6acb25ca62ee236e80" UNIQUE ("hold_transfer_id"), CONSTRAINT "CHK_exchanges_held_once_accepted" CHECK (("status" = 'proposed' AND "hold_transfer_id" IS NULL) OR "status" = 'cancelled' OR ("status" NOT IN ('proposed', 'cancelled') AND "hold_transfer_id" IS NOT NULL)), CONSTRAINT "CHK_exchanges_quantity" CHECK ("quantity" IS NULL OR "quantity" > 0), CONSTRAINT "CHK_exchanges_amounts" CHECK ("estimated_amount" > 0 AND ("actual_amount" IS NULL OR "actual_amount" >= 0)), CONSTRAINT "CHK_exchanges_parties" CHECK ("provider_id" <> "receiver_id"), CONSTRAINT "CHK_exchanges_status" CHECK ("status" IN ('proposed', 'accepted', 'delivered', 'confirmed', 'cancelled', 'disputed', 'resolved', 'expired')), CONSTRAINT "PK_17ccd29473f939c68de98c2cea3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_exchanges_group" ON "exchanges"  ("group_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_exchanges_due" ON "exchanges"  ("status", "due_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_exchanges_receiver" ON "exchanges"  ("receiver_id", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_exchanges_provider" ON "exchanges"  ("provider_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "outbox_events" ("id" BIGSERIAL NOT NULL, "topic" character varying(64) NOT NULL, "aggregate_type" character varying(32) NOT NULL, "aggregate_id" character varying(64) NOT NULL, "community_id" bigint, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_events_unpublished" ON "outbox_events"  ("id") WHERE "published_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "reviews" ("id" BIGSERIAL NOT NULL, "exchange_id" bigint NOT NULL, "author_id" bigint NOT NULL, "subject_id" bigint NOT NULL, "rating" smallint NOT NULL, "comment" character varying(2000) NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_reviews_once_per_exchange_and_author" UNIQUE ("exchange_id", "author_id"), CONSTRAINT "CHK_reviews_not_self" CHECK ("author_id" <> "subject_id"), CONSTRAINT "CHK_reviews_rating" CHECK ("rating" BETWEEN 1 AND 5), CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_reviews_subject" ON "reviews"  ("subject_id") `);
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_a5b558226164a4d04b79ca99688" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_e6506e88a3ee7dae1f69abd7003" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_f30b1d7d699d7eb4ae0ea957b22" FOREIGN KEY ("proposer_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_0585ff63fe6b7bb87a6437dfa71" FOREIGN KEY ("provider_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_2d5892427f283aeda73b058f4a3" FOREIGN KEY ("provider_account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_c3e98c46b24c72fb87cf70dc756" FOREIGN KEY ("receiver_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_22a7c90349cd32b990e2e23bd8d" FOREIGN KEY ("receiver_account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_67d7d71fd6acb25ca62ee236e80" FOREIGN KEY ("hold_transfer_id") REFERENCES "transfers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reviews" ADD CONSTRAINT "FK_fbed4efaf2bb51b0c65388522f4" FOREIGN KEY ("exchange_id") REFERENCES "exchanges"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reviews" ADD CONSTRAINT "FK_7efc8ac1a6389e4e9317435ad2b" FOREIGN KEY ("author_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reviews" ADD CONSTRAINT "FK_7e768f7dc06203d0c73300a0b64" FOREIGN KEY ("subject_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchange_groups" ADD CONSTRAINT "FK_0f3a7399d317224253f2b46db19" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchange_groups" ADD CONSTRAINT "FK_320a74420411e917b63ec0dbf25" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchange_groups" ADD CONSTRAINT "FK_e87b36e3cf7d0b582f663b32983" FOREIGN KEY ("provider_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "exchanges" ADD CONSTRAINT "FK_0ac27fb17545ca206eaed428365" FOREIGN KEY ("group_id") REFERENCES "exchange_groups"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(HISTORY_GUARDS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION exchanges_refuse_outbox_rewrite CASCADE`);
    for (const table of ['reviews', 'outbox_events', 'exchanges', 'exchange_groups'])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}

const HISTORY_GUARDS = `
CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE FUNCTION exchanges_refuse_outbox_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Publishing stamps published_at once; nothing else about an event may change, and none may go.
  IF TG_OP = 'UPDATE' AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL
     AND (NEW.id, NEW.topic, NEW.aggregate_type, NEW.aggregate_id, NEW.community_id, NEW.payload, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.topic, OLD.aggregate_type, OLD.aggregate_id, OLD.community_id, OLD.payload, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'outbox events are append-only' USING ERRCODE = 'PL001';
END $$;
CREATE TRIGGER outbox_events_append_only BEFORE UPDATE OR DELETE ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION exchanges_refuse_outbox_rewrite();`;
