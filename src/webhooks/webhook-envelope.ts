import { toGlobalId } from '../../libs/graphql/global-id.js';
import type { Event } from '../events/models/event.models.js';

/** The event's id as the API shows it: the `webhook-id` header, the same on every attempt and redelivery. */
export const webhookId = (position: string): string => toGlobalId('Event', position);

/** The body of a delivery: the event as the `events` feed serves it, every id a global id. */
export function envelopeOf(event: Event): Record<string, unknown> {
  return {
    id: webhookId(event.position),
    position: event.position,
    type: event.type,
    communityId: event.communityId === null ? null : toGlobalId('Community', event.communityId),
    occurredAt: event.occurredAt.toISOString(),
    publishedAt: event.publishedAt.toISOString(),
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    payload: event.payload,
  };
}
