import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';
import { MembershipEntity } from './membership.entity.js';

/** A coordinator's invitation: its token (stored hashed) lets the invited member set a password once. */
@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'membership_id', type: 'bigint' })
  @ForeignKey(() => MembershipEntity, { onDelete: 'RESTRICT' })
  membershipId: string;

  @Column({ name: 'invited_by', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  invitedBy: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
