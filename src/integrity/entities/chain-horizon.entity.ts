import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The chainer's progress over all transfers, in one row. Transfer ids are handed out before their
 * transactions commit, so the chainer only takes ids it knows final: `candidateThrough` was the
 * last id handed out just before the chainer took transaction id `candidateXid`; once no
 * transaction older than that is running, no transfer up to `candidateThrough` can still appear.
 */
@Entity({ name: 'ledger_chain_horizon' })
@Check('CHK_ledger_chain_horizon_single_row', `"id" = 1`)
@Check(
  'CHK_ledger_chain_horizon_order',
  `"chained_through" <= "final_through" AND "final_through" <= "candidate_through"`,
)
export class ChainHorizonEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  /** Every transfer with an id up to this one is chained. */
  @Column({ name: 'chained_through', type: 'bigint' })
  chainedThrough: string;

  /** No transfer with an id up to this one can still commit. */
  @Column({ name: 'final_through', type: 'bigint' })
  finalThrough: string;

  @Column({ name: 'candidate_through', type: 'bigint' })
  candidateThrough: string;

  @Column({ name: 'candidate_xid', type: 'bigint' })
  candidateXid: string;
}
