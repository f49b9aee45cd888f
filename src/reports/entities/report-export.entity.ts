import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../../ledger/entities/account.entity.js';
import { CommunityEntity } from '../../directory/community.entity.js';

/**
 * A short-lived link to a CSV export, stored in the database so that any replica can serve it.
 * Only the SHA-256 of its token is kept; the parameters are fixed when the link is made, so the
 * file always holds what the matching report showed for them.
 */
@Entity({ name: 'report_exports' })
@Check('CHK_report_exports_kind', `"kind" IN ('statement', 'transfers', 'balances')`)
@Check('CHK_report_exports_statement_names_account', `("kind" = 'statement') = ("account_id" IS NOT NULL)`)
@Check(
  'CHK_report_exports_parameters',
  `CASE WHEN "kind" = 'balances' THEN "as_of" IS NOT NULL AND "period_to" IS NULL AND "period_from" IS NULL ELSE "as_of" IS NULL AND "period_to" IS NOT NULL AND ("period_from" IS NULL OR "period_from" <= "period_to") END`,
)
@Index('IDX_report_exports_expiry', ['expiresAt'])
export class ReportExportEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  /** For a statement: the account. */
  @Column({ name: 'account_id', type: 'bigint', nullable: true })
  @ForeignKey(() => AccountEntity, { onDelete: 'RESTRICT' })
  accountId: string | null;

  /** For statements and transfers: the period [from, to); no `from` means from the beginning. */
  @Column({ name: 'period_from', type: 'timestamptz', nullable: true })
  periodFrom: Date | null;

  @Column({ name: 'period_to', type: 'timestamptz', nullable: true })
  periodTo: Date | null;

  /** For balances: the instant they are taken at (inclusive). */
  @Column({ name: 'as_of', type: 'timestamptz', nullable: true })
  asOf: Date | null;

  /** Who asked, as the access policy sees a caller: their rights are checked again when the file is downloaded. */
  @Column({ type: 'jsonb' })
  requester: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
