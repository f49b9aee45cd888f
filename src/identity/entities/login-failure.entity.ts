import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed logins, counted per email and per client address to rate-limit guessing across replicas. */
@Entity({ name: 'login_failures' })
@Index('IDX_login_failures_email', ['email', 'createdAt'])
@Index('IDX_login_failures_address', ['address', 'createdAt'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 64 })
  address: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
