import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, decodeCursor, toConnection } from '../../libs/graphql/pagination.js';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuditLogArgs } from './dto/audit.inputs.js';
import { AuditEntry } from './models/audit.models.js';
import { AuditRecord, AuditRepository } from './audit.repository.js';

export interface AuditedAction {
  /** The capacity the actor acted in; `system` for the server's own writes (seed, bootstrap), with no actor. */
  as: AuditRecord['actorRole'];
  action: string;
  communityId: string | null;
  targetType: string;
  targetId: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Writes who did what, as what, through which client, when and why: inside the action's transaction. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly db: TransactionalConnection,
    private readonly access: AccessPolicy,
  ) {}

  /** A community's entries for its auditors (coordinators, admins, AUDIT_READ apps); every entry, server-wide ones too, for admins. */
  async list(actor: Actor, args: AuditLogArgs): Promise<Connection<AuditEntry>> {
    if (args.communityId) await this.access.requireAuditor(actor, args.communityId);
    else this.access.requireAdmin(actor);
    const beforeId = decodeCursor(args.after);
    const rows = await this.repository.list({ ...args, beforeId, limit: args.first + 1 });
    return toConnection(
      rows,
      args.first,
      (entry) => BigInt(entry.id),
      (entry) => entry,
      beforeId === undefined,
    );
  }

  record(actor: Actor, action: AuditedAction): Promise<void> {
    return this.recordAll([{ actor, action }]);
  }

  /** Several actions' rows in one statement (a group of transfers committed together). */
  recordAll(entries: { actor: Actor; action: AuditedAction }[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    // Outside a transaction a row could commit without its action, or an action without its row.
    this.db.requireTransaction('An audit row');
    return this.repository.insert(entries.map(({ actor, action }) => toRecord(actor, action)));
  }
}

function toRecord(actor: Actor, action: AuditedAction): AuditRecord {
  return {
    actorMemberId: actor.kind === 'member' ? actor.memberId : null,
    actorRole: action.as,
    partnerAppId:
      actor.kind === 'partner' ? actor.partnerAppId : actor.kind === 'member' ? actor.viaPartnerAppId : null,
    action: action.action,
    communityId: action.communityId,
    targetType: action.targetType,
    targetId: action.targetId,
    reason: action.reason ?? null,
    details: action.details ?? {},
  };
}
