import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { OAuthRepository } from './oauth.repository.js';

/**
 * Deletes expired OAuth codes, tokens, sign-ins and interactions, which the adapter already
 * ignores. Safe in every replica: each takes rows the others have not locked.
 */
@Injectable()
export class OAuthPayloadSweeper extends PeriodicSweep {
  constructor(
    private readonly repository: OAuthRepository,
    private readonly db: TransactionalConnection,
  ) {
    super({ everyMs: 60_000, batch: 500 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    // In a transaction, as every background job's queries are: a request's own are told apart by running outside one.
    return this.db.transaction(() => this.repository.deleteExpired(limit));
  }
}
