import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One fixed-window counter per limited thing (an action from an address, by an account; a login
 * email): kept in PostgreSQL so that every replica counts against the same number. Only the
 * function rate_limit_take changes it, one statement per check (see the migration).
 */
@Entity({ name: 'rate_limit_counters' })
@Index('IDX_rate_limit_counters_window_end', ['windowEndsAt'])
@Check('CHK_rate_limit_counters_hits', '"hits" >= 0')
export class RateLimitCounterEntity {
  /** What is counted, e.g. `register address 203.0.113.7` or `login email ada@example.org`. */
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  /** When the current window ends; the next hit after it starts a new window at 1. */
  @Column({ name: 'window_ends_at', type: 'timestamptz' })
  windowEndsAt: Date;
}
