import { Field, ObjectType } from '@nestjs/graphql';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { Int64Scalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';

@NodeType('Event', {
  node: false,
  idDescription: 'Names this event: the same event delivered twice (at least once) has the same id.',
  description:
    'One state change, as partners receive it: what happened (`type`), where, when, and a versioned payload. The same envelope for the feed and, later, subscriptions and webhooks.',
})
export class Event {
  /** The publication position; its global id is the event's id. */
  id: string;

  @Field(() => Int64Scalar, {
    description:
      'The publication order: strictly increasing across all events, and never handed out below one already published, so an event read at position P has no unseen predecessor. Gaps are possible only in what a caller may see.',
  })
  position: string;

  @Field({
    description:
      'What happened: transfer.posted, transfer.pending, transfer.voided, transfer.reversed, exchange.<status>, review.created, membership.<change>, listing.<change>, ledger.checkpoint, verification.failed (docs/api.md, "Events").',
  })
  type: string;

  @GlobalIdField('Community', { nullable: true, description: 'The community it happened in.' })
  communityId: string | null;

  @Field({ description: 'When the change was made, in its own transaction (not when it was published).' })
  occurredAt: Date;

  @Field({ description: 'When the relay published it: from then on the feed serves it.' })
  publishedAt: Date;

  @Field({
    description:
      'The kind of object it is about: transfer, exchange, review, membership, listing, ledger_checkpoint, verification_run.',
  })
  subjectType: string;

  @Field({
    description:
      "The global id of the object it is about (a Transfer, Exchange, Review, Membership, Listing, LedgerCheckpoint or VerificationRun), as that type's queries take it.",
  })
  subjectId: string;

  @Field(() => JSONObjectScalar, {
    description:
      'What changed, by type (docs/api.md, "Events"): `version` (1) first, then the fields, with every id a global id as the API shows it and every amount a base-10 string.',
  })
  payload: Record<string, unknown>;
}

@ObjectType({
  description:
    'A page of events in position order, oldest first: pass endCursor as `after` to read on, with nothing missed and nothing twice while events keep arriving. No totalCount: the feed grows without bound.',
})
export class EventConnection extends ConnectionType(Event, 'Event') {}
