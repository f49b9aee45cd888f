import { ArgsType, Field } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { EVENT_TYPE_NAMES } from '../event-types.js';

/** `types`: a choice among the event types, validated as the feed and the subscriptions take it. */
function EventTypesField(): PropertyDecorator {
  return (target, property) => {
    Field(() => [String], {
      nullable: true,
      description: `Only events of these types (1 to ${EVENT_TYPE_NAMES.length}, each one of docs/api.md "Events"); omitted, every type.`,
    })(target, property);
    IsOptional()(target, property);
    ArrayMinSize(1)(target, property);
    ArrayMaxSize(EVENT_TYPE_NAMES.length)(target, property);
    IsIn(EVENT_TYPE_NAMES, { each: true, message: `each of types must be one of ${EVENT_TYPE_NAMES.join(', ')}` })(
      target,
      property,
    );
  };
}

/** `after` of a subscription: the last event received before a reconnection. */
export function ResumeAfterField(): PropertyDecorator {
  return (target, property) => {
    GlobalIdInput('Event', {
      nullable: true,
      description:
        'The id of the last event you received, to resume after a reconnection: what you missed comes first, in order, then live events, each once. Omitted, events from now on.',
    })(target, property);
    IsOptional()(target, property);
    IsDatabaseId()(target, property);
  };
}

@ArgsType()
export class EventsArgs extends PageArgs {
  @EventTypesField()
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

@ArgsType()
export class CommunityEventsArgs {
  @GlobalIdInput('Community', { description: 'The community whose events to follow; you must be one of its auditors.' })
  @IsDatabaseId()
  communityId: string;

  @EventTypesField()
  types?: string[];

  @ResumeAfterField()
  after?: string;
}
