import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';
import { ExchangeEntity } from './exchange.entity.js';

/** One party's review of the other after a settled exchange: once per exchange and author. */
@Entity({ name: 'reviews' })
@Unique('UQ_reviews_once_per_exchange_and_author', ['exchangeId', 'authorId'])
@Check('CHK_reviews_rating', `"rating" BETWEEN 1 AND 5`)
@Check('CHK_reviews_not_self', `"author_id" <> "subject_id"`)
@Index('IDX_reviews_subject', ['subjectId'])
export class ReviewEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'exchange_id', type: 'bigint' })
  @ForeignKey(() => ExchangeEntity, { onDelete: 'RESTRICT' })
  exchangeId: string;

  @Column({ name: 'author_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  authorId: string;

  @Column({ name: 'subject_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  subjectId: string;

  @Column({ type: 'smallint' })
  rating: number;

  @Column({ type: 'varchar', length: 2000, default: '' })
  comment: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
