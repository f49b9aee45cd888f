import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import {
  checkLedgerInvariants,
  checkLedgerInvariantsByCurrency,
  InvariantViolation,
  LEDGER_INVARIANTS,
} from '../ledger/ledger.invariants.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { OutboxService } from '../events/outbox.service.js';
import { VerificationRunsArgs } from './dto/integrity.inputs.js';
import { VerificationRun, VerificationTrigger } from './models/verification.models.js';
import { VerificationRepository } from './verification.repository.js';

/** How often each community is checked by the schedule. */
export const SCHEDULED_VERIFICATION_SECONDS = 3600;

/**
 * Runs the ledger's invariant check over one community (every check, in one snapshot) and stores
 * the report: on demand for its auditors, and on a schedule. A failed run stays an open alert
 * until a manager acknowledges it.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly runs: VerificationRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly dataSource: DataSource,
    private readonly db: TransactionalConnection,
    private readonly outbox: OutboxService,
  ) {}

  async runOnDemand(actor: Actor, communityId: string): Promise<VerificationRun> {
    await this.access.requireAuditor(actor, communityId);
    return this.run(communityId, VerificationTrigger.ON_DEMAND, actor.kind === 'member' ? actor.memberId : null);
  }

  async list(actor: Actor, args: VerificationRunsArgs): Promise<Connection<VerificationRun>> {
    await this.access.requireAuditor(actor, args.communityId);
    const beforeId = decodeCursor(args.after);
    const rows = await this.runs.list({
      communityId: args.communityId,
      openAlertsOnly: args.openAlertsOnly,
      beforeId,
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      (run) => BigInt(run.id),
      (run) => run,
      beforeId === undefined,
    );
  }

  /** A manager closes the alert of a failed run, with what was done about it; audited. Null when there was no open alert. */
  async acknowledge(actor: Actor, runId: string, note: string): Promise<VerificationRun | null> {
    this.access.requireAuthenticated(actor);
    const found = isDatabaseId(runId) ? await this.runs.find(runId) : null;
    const role = found ? await this.access.managerRole(actor, found.communityId) : null;
    if (!found || !role || actor.kind !== 'member') throw forbidden();
    return this.db.transaction(async () => {
      const acknowledged = await this.runs.acknowledge(found.id, actor.memberId);
      if (acknowledged) {
        await this.audit.record(actor, {
          as: role,
          action: 'verification.acknowledge',
          communityId: found.communityId,
          targetType: 'verification_run',
          targetId: found.id,
          reason: note,
        });
      }
      return acknowledged;
    });
  }

  /**
   * For the schedule: checks communities not checked within the interval, each once across
   * replicas, reading the whole ledger once for all of them.
   */
  async runScheduled(limit: number): Promise<number> {
    return this.db.jobTransaction(async () => {
      const due = await this.runs.lockCommunitiesDue(SCHEDULED_VERIFICATION_SECONDS, limit);
      if (due.length === 0) return 0;
      const startedAt = new Date();
      const byCurrency = await checkLedgerInvariantsByCurrency(this.dataSource, this.db.jobStatementTimeoutMs);
      for (const { communityId, currencyIds } of due) {
        await this.store(
          communityId,
          VerificationTrigger.SCHEDULED,
          null,
          startedAt,
          currencyIds.flatMap((currencyId) => byCurrency.get(currencyId) ?? []),
        );
      }
      return due.length;
    });
  }

  private async run(
    communityId: string,
    trigger: VerificationTrigger,
    requestedBy: string | null,
  ): Promise<VerificationRun> {
    const startedAt = new Date();
    return this.store(
      communityId,
      trigger,
      requestedBy,
      startedAt,
      // A long read by nature: the job's statement timeout, not a request's.
      await checkLedgerInvariants(this.dataSource, { communityId, statementTimeoutMs: this.db.jobStatementTimeoutMs }),
    );
  }

  /**
   * Every check by name, passed or with its offending rows (of each of the community's currencies).
   * A failed run is announced to the community's auditors (verification.failed), with the report.
   */
  private store(
    communityId: string,
    trigger: VerificationTrigger,
    requestedBy: string | null,
    startedAt: Date,
    violations: InvariantViolation[],
  ): Promise<VerificationRun> {
    const offenders = (name: string) =>
      violations.filter((violation) => violation.check === name).flatMap((violation) => violation.rows);
    const checks = Object.keys(LEDGER_INVARIANTS).map((name) => ({
      name,
      passed: offenders(name).length === 0,
      offendingRows: offenders(name),
    }));
    return this.db.transaction(async () => {
      const run = await this.runs.insert({
        communityId,
        trigger,
        requestedBy,
        startedAt,
        finishedAt: new Date(),
        passed: violations.length === 0,
        checks,
      });
      if (!run.passed)
        await this.outbox.append({
          topic: 'verification.failed',
          aggregateType: 'verification_run',
          aggregateId: run.id,
          communityId,
          payload: {
            id: run.id,
            communityId,
            trigger: run.trigger,
            failedChecks: checks.filter((check) => !check.passed).map((check) => check.name),
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
          },
        });
      return run;
    });
  }
}
