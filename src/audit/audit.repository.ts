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

  /** Runs on the current transaction, so the rows commit or roll back with the actions they record. One statement for all. */
  async insert(records: AuditRecord[]): Promise<void> {
    await this.db.manager.query(
      `INSERT INTO audit_log (actor_member_id, actor_role, partner_app_id, action, community_id, target_type, target_id, reason, details)
       SELECT "actorMemberId", "actorRole", "partnerAppId", action, "communityId", "targetType", "targetId", reason, details
         FROM jsonb_to_recordset($1::jsonb) AS r("actorMemberId" bigint, "actorRole" text, "partnerAppId" bigint, action text, "communityId" bigint,
                                                 "targetType" text, "targetId" text, reason text, details jsonb)`,
      [JSON.stringify(records)],
    );
  }
}
