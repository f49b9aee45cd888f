import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The seeded taxonomy of what is exchanged: care, teaching, repairs, transport, cooking, goods lending… */
@Entity({ name: 'listing_categories' })
export class ListingCategoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  slug: string;

  @Column({ name: 'name_en', type: 'varchar', length: 64 })
  nameEn: string;

  @Column({ name: 'name_ko', type: 'varchar', length: 64 })
  nameKo: string;
}
