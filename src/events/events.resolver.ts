import { Args, Query, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { EventsArgs } from './dto/events.inputs.js';
import { EventsService } from './events.service.js';
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
}
