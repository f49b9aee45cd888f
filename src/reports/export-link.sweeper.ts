import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ReportsRepository } from './reports.repository.js';

/** For an hour after it expires, a link is answered "expired" (410); then it is forgotten (404). */
const EXPIRED_LINK_GRACE_SECONDS = 3600;

/** Deletes long-expired export links. Safe in every replica: each takes rows the others have not locked. */
@Injectable()
export class ExportLinkSweeper extends PeriodicSweep {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly db: TransactionalConnection,
  ) {
    super({ everyMs: 60_000, batch: 500 });
  }

  protected sweepBatch(limit: number): Promise<number> {
    // In a transaction, as every background job's queries are: a request's own are told apart by running outside one.
    return this.db.transaction(() => this.reports.deleteExpiredExportLinks(EXPIRED_LINK_GRACE_SECONDS, limit));
  }
}
