import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Actor } from '../access/actor.js';
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
export class AuditLog {
  constructor(
    private readonly repository: AuditRepository,
    private readonly db: TransactionalConnection,
  ) {}

  record(actor: Actor, action: AuditedAction): Promise<void> {
    // Outside a transaction the row could commit without the action, or the action without its row.
    if (!this.db.inTransaction) throw new Error(`audit of ${action.action} must run inside the action's transaction`);
    return this.repository.insert(toRecord(actor, action));
  }
}

function toRecord(actor: Actor, action: AuditedAction): AuditRecord {
  return {
    actorMemberId: actor.kind === 'member' ? actor.memberId : null,
    actorRole: action.as,
    partnerAppId: actor.kind === 'partner' ? actor.partnerAppId : actor.kind === 'member' ? actor.viaPartnerAppId : null,
    action: action.action,
    communityId: action.communityId,
    targetType: action.targetType,
    targetId: action.targetId,
    reason: action.reason ?? null,
    details: action.details ?? {},
  };
}
