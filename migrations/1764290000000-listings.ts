import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listings: offers and requests for labour and goods, in a seeded category taxonomy, searchable in
 * any language. Words go through the 'simple' text search parser (no stemming, so Korean and
 * English alike); trigram indexes let part of a word match, which Korean needs.
 */
export class Listings1764290000000 implements MigrationInterface {
  name = 'Listings1764290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Trusted since PostgreSQL 13: the database owner may create it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE TABLE "listing_categories" ("slug" character varying(32) NOT NULL, "name_en" character varying(64) NOT NULL, "name_ko" character varying(64) NOT NULL, CONSTRAINT "PK_09b13422aa3abf80bd34e5149c6" PRIMARY KEY ("slug"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "listings" ("id" BIGSERIAL NOT NULL, "community_id" bigint NOT NULL, "member_id" bigint NOT NULL, "kind" character varying(16) NOT NULL, "nature" character varying(16) NOT NULL, "title" character varying(120) NOT NULL, "description" character varying(4000) NOT NULL DEFAULT '', "category" character varying(32) NOT NULL, "tags" text array NOT NULL DEFAULT '{}', "pricing" character varying(16) NOT NULL, "price" bigint NOT NULL, "quantity" integer, "district" character varying(100) NOT NULL DEFAULT '', "availability" character varying(500) NOT NULL DEFAULT '', "status" character varying(16) NOT NULL DEFAULT 'active', "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_listings_quantity" CHECK (("nature" = 'goods') = ("quantity" IS NOT NULL) AND ("quantity" IS NULL OR "quantity" >= 0)), CONSTRAINT "CHK_listings_price" CHECK ("price" >= 0), CONSTRAINT "CHK_listings_status" CHECK ("status" IN ('active', 'paused', 'closed')), CONSTRAINT "CHK_listings_pricing" CHECK ("pricing" IN ('per_hour', 'fixed')), CONSTRAINT "CHK_listings_nature" CHECK ("nature" IN ('service', 'goods')), CONSTRAINT "CHK_listings_kind" CHECK ("kind" IN ('offer', 'request')), CONSTRAINT "PK_520ecac6c99ec90bcf5a603cdcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_listings_community" ON "listings"  ("community_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "listings" ADD CONSTRAINT "FK_301423774c392b8b85394233053" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "listings" ADD CONSTRAINT "FK_0857de0683cf3205e1de280516d" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "listings" ADD CONSTRAINT "FK_6817abcea64908c38b6e6f7e728" FOREIGN KEY ("category") REFERENCES "listing_categories"("slug") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_listings_search" ON "listings" USING gin ((${LISTING_WORDS}))`);
    await queryRunner.query(`CREATE INDEX "IDX_listings_title_trgm" ON "listings" USING gin ("title" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "IDX_listings_description_trgm" ON "listings" USING gin ("description" gin_trgm_ops)`,
    );
    const values = CATEGORIES.map((_, index) => `($${3 * index + 1}, $${3 * index + 2}, $${3 * index + 3})`).join(', ');
    await queryRunner.query(
      `INSERT INTO "listing_categories" ("slug", "name_en", "name_ko") VALUES ${values}`,
      CATEGORIES.flat(),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "listings"`);
    await queryRunner.query(`DROP TABLE "listing_categories"`);
  }
}

/** The words of a listing, weighted title first; queries must use this very expression to use its index. */
export const LISTING_WORDS = `setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "description"), 'B')`;

/** Reference data, not a demo: every community shares the taxonomy. */
const CATEGORIES: [slug: string, english: string, korean: string][] = [
  ['care', 'Care', '돌봄'],
  ['childcare', 'Childcare', '아이 돌봄'],
  ['companionship', 'Companionship', '말벗'],
  ['teaching', 'Teaching', '교육'],
  ['language', 'Language and translation', '언어와 번역'],
  ['repairs', 'Repairs', '수리'],
  ['computers', 'Computer help', '컴퓨터 도움'],
  ['transport', 'Transport', '이동'],
  ['cooking', 'Cooking', '요리'],
  ['cleaning', 'Cleaning', '청소'],
  ['gardening', 'Gardening', '원예'],
  ['health', 'Health and wellbeing', '건강'],
  ['arts', 'Arts and crafts', '예술과 공예'],
  ['goods_lending', 'Goods lending', '물품 대여'],
  ['goods', 'Goods', '물품'],
  ['other', 'Other', '기타'],
];
