import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GlobalIdArg } from '../../libs/graphql/global-id.js';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import {
  CreateWebhookEndpointInput,
  RedeliverWebhookInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesArgs,
  WebhookEndpointInput,
  WebhookEndpointsArgs,
} from './dto/webhooks.inputs.js';
import {
  DeleteWebhookEndpointPayload,
  RedeliverWebhookPayload,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointPayload,
  WebhookEndpointSecretPayload,
} from './models/webhook.models.js';
import { MAX_ENDPOINTS_PER_APP } from './webhooks.errors.js';
import { WebhooksService } from './webhooks.service.js';

const MANAGERS = "The app itself (its API key), or a coordinator or admin of the app's community.";

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => [WebhookEndpoint], {
    description: `A partner app's webhook endpoints, oldest first. ${MANAGERS} A plain list, not a connection: an app has at most ${MAX_ENDPOINTS_PER_APP}.`,
  })
  webhookEndpoints(@CurrentActor() actor: Actor, @Args() args: WebhookEndpointsArgs): Promise<WebhookEndpoint[]> {
    return this.webhooks.list(actor, args);
  }

  @Query(() => WebhookEndpoint, { description: `One webhook endpoint. ${MANAGERS} FORBIDDEN otherwise.` })
  webhookEndpoint(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('WebhookEndpoint', 'id', { description: "The endpoint's id." }) id: string,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.find(actor, id);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: `An endpoint's deliveries, newest first: what was sent, how often, what came back, and when the next attempt is due. ${MANAGERS}`,
  })
  webhookDeliveries(
    @CurrentActor() actor: Actor,
    @Args() args: WebhookDeliveriesArgs,
  ): Promise<Connection<WebhookDelivery>> {
    return this.webhooks.deliveries(actor, args);
  }

  @Mutation(() => WebhookEndpointSecretPayload, {
    description: `A partner app, with its own API key: adds a webhook endpoint, which receives the events published from now on that the app may see (as the \`events\` feed shows them to it), of the types asked for. Returns its signing secret, shown once. At most ${MAX_ENDPOINTS_PER_APP} per app. Audited.`,
  })
  createWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The URL, the event types and a note.' }) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointSecretPayload> {
    return this.webhooks.create(actor, input);
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: `Changes an endpoint's URL, types or note, or disables or enables it. ${MANAGERS} Audited.`,
  })
  updateWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The endpoint and what changes.' }) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointPayload> {
    return this.webhooks.update(actor, input);
  }

  @Mutation(() => DeleteWebhookEndpointPayload, {
    description: `Deletes an endpoint and its delivery log; nothing more is sent to it. ${MANAGERS} Audited.`,
  })
  deleteWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The endpoint to delete.' }) input: WebhookEndpointInput,
  ): Promise<DeleteWebhookEndpointPayload> {
    return this.webhooks.delete(actor, input);
  }

  @Mutation(() => WebhookEndpointSecretPayload, {
    description:
      "The app itself: replaces an endpoint's signing secret and shows the new one once. For a grace period (WEBHOOK_SECRET_GRACE_SECONDS, a day by default) deliveries carry two signatures, by the new secret and the old, so that receivers can switch without missing one. Audited.",
  })
  rotateWebhookSecret(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The endpoint whose secret is replaced.' }) input: WebhookEndpointInput,
  ): Promise<WebhookEndpointSecretPayload> {
    return this.webhooks.rotateSecret(actor, input);
  }

  @Mutation(() => RedeliverWebhookPayload, {
    description: `Sends a delivery's event again (the same webhook-id and body, a new signature), as a new delivery queued behind what the endpoint already waits for. ${MANAGERS} Audited.`,
  })
  redeliverWebhook(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The delivery to repeat.' }) input: RedeliverWebhookInput,
  ): Promise<RedeliverWebhookPayload> {
    return this.webhooks.redeliver(actor, input);
  }
}
