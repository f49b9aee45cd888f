import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const MEMBER_KINDS = ['person', 'organisation'] as const;

/** A person or an organisation with a login. Their standing in each community is a membership. */
@Entity({ name: 'members' })
@Check('CHK_members_kind', `"kind" IN ('person', 'organisation')`)
// Stored folded, so that the unique index is case-insensitive and login needs no lower() at query time.
@Check('CHK_members_email_folded', `"email" = lower("email") AND "email" LIKE '%_@_%'`)
export class MemberEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  /** argon2id; null until an invited member sets a password. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 16, default: 'person' })
  kind: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  bio: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  district: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  skills: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  /** Server-wide administrator: creates communities, appoints coordinators, registers partner apps. */
  @Column({ name: 'is_admin', type: 'boolean', default: false })
  isAdmin: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
