import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';

/**
 * One login. Tokens are opaque random strings stored as SHA-256 hashes, looked up on every request,
 * so that logout and revocation take effect at once on every replica.
 */
@Entity({ name: 'sessions' })
@Index('IDX_sessions_member', ['memberId'])
export class SessionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'member_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  memberId: string;

  @Column({ name: 'access_token_hash', type: 'char', length: 64, unique: true })
  accessTokenHash: string;

  @Column({ name: 'access_expires_at', type: 'timestamptz' })
  accessExpiresAt: Date;

  @Column({ name: 'refresh_token_hash', type: 'char', length: 64, unique: true })
  refreshTokenHash: string;

  @Column({ name: 'refresh_expires_at', type: 'timestamptz' })
  refreshExpiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
