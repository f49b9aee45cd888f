import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';

export interface AuditRecord {
  actorMemberId: string | null;
  actorRole: 'admin' | 'coordinator' | 'member' | 'partner' | 'system';
  partnerAppId: string | null;
  action: string;
  communityId: string | null;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: TransactionalConnection) {}

  /** Runs on the current transaction, so the row commits or rolls back with the action it records. */
  async insert(record: AuditRecord): Promise<void> {
    await this.db.manager.query(
      `INSERT INTO audit_log (actor_member_id, actor_role, partner_app_id, action, community_id, target_type, target_id, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        record.actorMemberId, record.actorRole, record.partnerAppId, record.action, record.communityId,
        record.targetType, record.targetId, record.reason, JSON.stringify(record.details),
      ],
    );
  }
}
