import { Args, Query, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditLogArgs } from './dto/audit.inputs.js';
import { AuditEntry, AuditEntryConnection } from './models/audit.models.js';

@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly audit: AuditLogService) {}

  @Query(() => AuditEntryConnection, {
    description: "Who did what, newest first: a community's for its auditors, the whole server's for admins.",
  })
  auditLog(@CurrentActor() actor: Actor, @Args() args: AuditLogArgs): Promise<Connection<AuditEntry>> {
    return this.audit.list(actor, args);
  }
}
