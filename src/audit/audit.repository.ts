import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { AuditActorRole, AuditEntry } from './models/audit.models.js';

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

  /** Newest first, keyset-paginated on id. An action ending in a dot is a prefix: `exchange.` is every exchange step. */
  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    let where = 'TRUE';
    if (filter.communityId) where += ` AND community_id = $${params.push(filter.communityId)}`;
    if (filter.action?.endsWith('.')) where += ` AND starts_with(action, $${params.push(filter.action)})`;
    else if (filter.action) where += ` AND action = $${params.push(filter.action)}`;
    if (filter.actorMemberId) where += ` AND actor_member_id = $${params.push(filter.actorMemberId)}`;
    if (filter.targetType) where += ` AND target_type = $${params.push(filter.targetType)}`;
    if (filter.targetId) where += ` AND target_id = $${params.push(filter.targetId)}`;
    if (filter.from) where += ` AND created_at >= $${params.push(filter.from)}`;
    if (filter.to) where += ` AND created_at < $${params.push(filter.to)}`;
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map((row) => ({
      id: row.id as string,
      createdAt: row.created_at as Date,
      actorMemberId: row.actor_member_id as string | null,
      actorRole: row.actor_role as AuditActorRole,
      partnerAppId: row.partner_app_id as string | null,
      action: row.action as string,
      communityId: row.community_id as string | null,
      targetType: row.target_type as string,
      targetId: row.target_id as string,
      reason: row.reason as string | null,
      details: row.details as Record<string, unknown>,
    }));
  }
}

export interface AuditFilter {
  communityId?: string;
  action?: string;
  actorMemberId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  beforeId?: bigint;
  limit: number;
}
