import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { SessionEntity } from './session.entity.js';

/**
 * Every refresh token a session has rotated away. Presenting one again means two parties hold the
 * session's tokens, so the session ends for both, however many rotations ago it was retired.
 */
@Entity({ name: 'retired_refresh_tokens' })
export class RetiredRefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'session_id', type: 'bigint' })
  @ForeignKey(() => SessionEntity, { onDelete: 'CASCADE' })
  sessionId: string;
}
