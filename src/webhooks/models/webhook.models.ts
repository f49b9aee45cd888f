import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { Int64Scalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { WebhookUserError } from '../webhooks.errors.js';
import { WebhookDeliveryStatus, WebhookDisabledReason } from './webhook-enums.js';

@NodeType('WebhookEndpoint', {
  idDescription: 'Names this endpoint in updateWebhookEndpoint, rotateWebhookSecret and webhookDeliveries.',
  description:
    "Where a partner app receives its events, signed (Standard Webhooks): only events the app may see (as the `events` feed shows them to it), of the types asked for, one at a time and in order. Seen by the app and by its community's coordinators and admins.",
})
export class WebhookEndpoint {
  id: string;

  @GlobalIdField('PartnerApp', { description: 'The partner app that owns it.' })
  partnerAppId: string;

  @Field({ description: 'Where deliveries are POSTed.' })
  url: string;

  @Field(() => [String], { description: 'The event types it receives.' })
  types: string[];

  @Field(() => String, { nullable: true, description: "The owner's note." })
  description: string | null;

  @Field({ description: 'Whether deliveries go out; false when disabled by its owner or for failing.' })
  enabled: boolean;

  @Field(() => WebhookDisabledReason, { nullable: true, description: 'Why it is disabled; null while enabled.' })
  disabledReason: WebhookDisabledReason | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When its deliveries began to fail, without a success since; null while they succeed. Past WEBHOOK_DISABLE_AFTER_SECONDS (a day by default) it is disabled.',
  })
  failingSince: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'After a rotation: until then, deliveries carry a signature by the previous secret too. Null otherwise.',
  })
  previousSecretExpiresAt: Date | null;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

// Not a Node: read only as pages of an endpoint's log (webhookDeliveries), with no query of its own.
@NodeType('WebhookDelivery', {
  node: false,
  idDescription: 'Names this delivery in redeliverWebhook.',
  description:
    'One event sent (or to be sent) to one endpoint, and what became of it. The event keeps its id (the webhook-id header) across retries and redeliveries.',
})
export class WebhookDelivery {
  id: string;

  @GlobalIdField('WebhookEndpoint', { description: 'The endpoint it goes to.' })
  endpointId: string;

  @GlobalIdField('Event', { description: "The event's id: the webhook-id header, and `id` in the body." })
  eventId: string;

  @Field(() => Int64Scalar, { description: "The event's position in the feed." })
  eventPosition: string;

  @Field({ description: "The event's type." })
  eventType: string;

  @Field(() => JSONObjectScalar, {
    description: "The body sent: the event's envelope, as the `events` feed shows it (id, position, type, …, payload).",
  })
  body: Record<string, unknown>;

  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When it is tried next, while pending; null once done.' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was last tried; null before the first attempt.' })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: "The last answer's HTTP status; null when there was none." })
  responseStatus: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The first 200 bytes of the last answer's body, no more; null when there was none.",
  })
  responseExcerpt: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the last attempt got no answer: timeout, a refused address (URL_NOT_ALLOWED …), a connection error.',
  })
  error: string | null;

  @GlobalIdField('WebhookDelivery', {
    nullable: true,
    description: 'The delivery this one repeats (redeliverWebhook); null for the first.',
  })
  redeliveryOfId: string | null;

  @Field({ description: 'When it was queued.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the endpoint answered 2xx; null until then.' })
  deliveredAt: Date | null;
}

@ObjectType({
  description: "A page of an endpoint's deliveries, newest first. No totalCount: the log grows with every event.",
})
export class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery, 'WebhookDelivery') {}

const USER_ERRORS = 'Why the request was refused; empty when it succeeded. A refused request changes nothing.';

@ObjectType({ description: 'An endpoint with its new signing secret, or why it was refused.' })
export class WebhookEndpointSecretPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: 'The endpoint; null when refused.' })
  webhookEndpoint: WebhookEndpoint | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The signing secret (`whsec_` and base64, Standard Webhooks), shown this once: store it as a secret. Null when refused.',
  })
  secret: string | null;

  @Field(() => [WebhookUserError], { description: USER_ERRORS })
  userErrors: InstanceType<typeof WebhookUserError>[];
}

@ObjectType({ description: 'The endpoint as changed, or why the change was refused.' })
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: 'The endpoint after the change; null when refused.' })
  webhookEndpoint: WebhookEndpoint | null;

  @Field(() => [WebhookUserError], { description: USER_ERRORS })
  userErrors: InstanceType<typeof WebhookUserError>[];
}

@ObjectType({ description: 'The endpoint deleted, with its deliveries, or why not.' })
export class DeleteWebhookEndpointPayload {
  @GlobalIdField('WebhookEndpoint', {
    nullable: true,
    description: 'The id of the endpoint deleted; null when refused.',
  })
  deletedWebhookEndpointId: string | null;

  @Field(() => [WebhookUserError], { description: USER_ERRORS })
  userErrors: InstanceType<typeof WebhookUserError>[];
}

@ObjectType({ description: 'The new delivery, queued behind what the endpoint already waits for, or why not.' })
export class RedeliverWebhookPayload {
  @Field(() => WebhookDelivery, { nullable: true, description: 'The new delivery; null when refused.' })
  webhookDelivery: WebhookDelivery | null;

  @Field(() => [WebhookUserError], { description: USER_ERRORS })
  userErrors: InstanceType<typeof WebhookUserError>[];
}
