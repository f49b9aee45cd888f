import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { CountedConnection, decodeCursor, toConnection, withTotalCount } from '../../libs/graphql/pagination.js';
import { refusedPayload } from '../../libs/graphql/refusal.js';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { PeriodErrorCode, periodUserError } from './ledger.errors.js';
import { LedgerService } from './ledger.service.js';
import { ClosePeriodInput, ClosePeriodPayload, LedgerPeriod, PeriodsArgs } from './models/period.models.js';
import { PeriodsRepository } from './periods.repository.js';

const refusedClose = refusedPayload(periodUserError, { period: null });

/**
 * Closing a community's books through a date: its managers close, its auditors read. The database
 * records the balances and keeps anything from being dated inside the period afterwards.
 */
@Injectable()
export class PeriodsService {
  constructor(
    private readonly periods: PeriodsRepository,
    private readonly ledger: LedgerService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
  ) {}

  async close(actor: Actor, input: ClosePeriodInput): Promise<ClosePeriodPayload> {
    const role = await this.access.requireManager(actor, input.communityId);
    // A community has one currency (createCommunity makes it).
    const [currency] = await this.ledger.currenciesOf(input.communityId);
    return this.db.transaction(async () => {
      const closedBy = actor.kind === 'member' ? actor.memberId : null;
      const { outcome, periodId } = await this.periods.close(currency.id, input.through, closedBy, input.note.trim());
      if (!periodId) return refusedClose(outcome.toUpperCase() as PeriodErrorCode);
      await this.audit.record(actor, {
        as: role,
        action: 'ledger.close_period',
        communityId: input.communityId,
        targetType: 'ledger_period',
        targetId: periodId,
        reason: input.note.trim(),
        details: { currencyId: currency.id, through: input.through.toISOString() },
      });
      return { period: await this.periods.find(periodId), userErrors: [] };
    });
  }

  async list(actor: Actor, args: PeriodsArgs): Promise<CountedConnection<LedgerPeriod>> {
    await this.access.requireAuditor(actor, args.communityId);
    const beforeId = decodeCursor(args.after);
    const rows = await this.periods.list({ communityId: args.communityId, beforeId, limit: args.first + 1 });
    const page = toConnection(
      rows,
      args.first,
      (period) => BigInt(period.id),
      (period) => period,
      beforeId === undefined,
    );
    return withTotalCount(page, () => this.periods.count(args.communityId));
  }
}
