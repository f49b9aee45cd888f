import { ArgsType, Field } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { EVENT_TYPE_NAMES } from '../event-types.js';

@ArgsType()
export class EventsArgs extends PageArgs {
  @Field(() => [String], {
    nullable: true,
    description: `Only events of these types (1 to ${EVENT_TYPE_NAMES.length}, each one of docs/api.md "Events"); omitted, every type.`,
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @IsIn(EVENT_TYPE_NAMES, { each: true, message: `each of types must be one of ${EVENT_TYPE_NAMES.join(', ')}` })
  types?: string[];

  @GlobalIdInput('Community', {
    nullable: true,
    description:
      "One community's events: all of them for its auditors, a member's own otherwise. Omitted, every event the caller may see.",
  })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;
}
