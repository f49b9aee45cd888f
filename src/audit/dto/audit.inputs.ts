import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { DateRangePageArgs } from '../../../libs/graphql/pagination.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

@ArgsType()
export class AuditLogArgs extends DateRangePageArgs {
  @GlobalIdInput('Community', {
    nullable: true,
    description: "A community's log, for its auditors; omitted, the whole server's, for admins.",
  })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;

  @Field({ nullable: true, description: 'One action, e.g. ledger.grant; or a prefix ending in a dot, e.g. exchange.' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]*)?$/, { message: 'action must look like ledger.grant, or a prefix such as exchange.' })
  action?: string;

  @GlobalIdInput('Member', { nullable: true, description: 'Only actions by this member.' })
  @IsOptional()
  @IsDatabaseId()
  actorMemberId?: string;

  @Field({
    nullable: true,
    description: 'Only actions on this kind of object, for example account (lower-case, at most 32 characters).',
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'targetType must be a lower-case name such as account' })
  targetType?: string;

  @Field({ nullable: true, description: 'Only actions on the object with this id; give targetType with it.' })
  @IsOptional()
  @MaxLength(64)
  targetId?: string;
}
