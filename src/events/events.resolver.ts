import { Args, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunityEventsArgs, EventsArgs } from './dto/events.inputs.js';
import { EventsService, resumeAfter, toEvent } from './events.service.js';
import { Event, EventConnection } from './models/event.models.js';

@Resolver(() => Event)
export class EventsResolver {
  constructor(private readonly feed: EventsService) {}

  @Query(() => EventConnection, {
    description:
      "The replayable event feed, oldest first: a partner that was offline catches up exactly, in order, from the last cursor it kept. A member sees the events of their own accounts, exchanges, reviews and memberships, and their communities' listings and checkpoints; auditors (coordinators, admins, partner apps with audit:read) see their community's; a partner app acting for a member sees what the member sees, in its community. Events appear once the relay publishes them, within a second of their commit.",
  })
  events(@CurrentActor() actor: Actor, @Args() args: EventsArgs): Promise<Connection<Event>> {
    return this.feed.list(actor, args);
  }

  @Subscription(() => Event, {
    description:
      "Every event of one community as it is published, for the community's auditors (coordinators, admins, partner apps with audit:read): the envelopes of `events`, live. FORBIDDEN for anyone else.",
    resolve: (event: Event) => event,
  })
  communityEvents(
    @CurrentActor() actor: Actor,
    @Args() args: CommunityEventsArgs,
  ): Promise<AsyncIterableIterator<Event>> {
    return this.feed.subscribe(
      actor,
      { communityId: args.communityId, types: args.types, after: resumeAfter(args.after), auditorsOnly: true },
      (event) => Promise.resolve(toEvent(event)),
    );
  }
}
