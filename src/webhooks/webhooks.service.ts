import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../libs/config/app-config.js';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Connection, ConnectionCursors } from '../../libs/graphql/pagination.js';
import { refusable, refusedPayload, Refusal } from '../../libs/graphql/refusal.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor, PartnerActor } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { EVENT_TYPES } from '../events/event-types.js';
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
  WebhookEndpoint,
  WebhookEndpointPayload,
  WebhookEndpointSecretPayload,
} from './models/webhook.models.js';
import { newWebhookSecret } from './webhook-signature.js';
import { resolveTarget, TargetRefused } from './webhook-target.js';
import { EndpointRow, WebhooksRepository } from './webhooks.repository.js';
import { MAX_ENDPOINTS_PER_APP, webhookError, WebhookErrorCode } from './webhooks.errors.js';

const DELIVERY_CURSORS = new ConnectionCursors('WebhookDeliveryConnection');
const refusedEndpoint = refusedPayload(webhookError, { webhookEndpoint: null });
const refusedSecret = refusedPayload(webhookError, { webhookEndpoint: null, secret: null });

/** The capacity in which an endpoint is managed, as the audit log records it. */
type ManagerCapacity = 'partner' | 'coordinator' | 'admin';

const isEventType = (type: string): boolean => Object.hasOwn(EVENT_TYPES, type);

/**
 * Partner apps' webhook endpoints. The app itself (with its API key) creates them and rotates their
 * secrets: the secret is shown once, to the program that will verify with it. The app and the
 * managers of its community (coordinators, admins in person) see them, change, disable and delete
 * them, read their deliveries and ask for redeliveries: managers answer for the apps they register.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly db: TransactionalConnection,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, input: CreateWebhookEndpointInput): Promise<WebhookEndpointSecretPayload> {
    const app = this.callingApp(actor);
    const refusal = await this.contentRefusal(input);
    if (refusal) return refusedSecret(refusal);
    const secret = newWebhookSecret();
    return refusable<WebhookErrorCode, WebhookEndpointSecretPayload>(this.db, refusedSecret, async () => {
      await this.repository.lockApp(app.partnerAppId);
      if ((await this.repository.countEndpointsOf(app.partnerAppId)) >= MAX_ENDPOINTS_PER_APP)
        throw new Refusal(WebhookErrorCode.TOO_MANY_ENDPOINTS);
      const endpoint = await this.repository.insertEndpoint({
        partnerAppId: app.partnerAppId,
        url: input.url,
        types: [...new Set(input.types)],
        description: input.description ?? null,
        secret,
      });
      await this.record(actor, 'partner', 'webhook_endpoint.create', endpoint, { url: endpoint.url });
      return { webhookEndpoint: endpoint, secret, userErrors: [] };
    });
  }

  async update(actor: Actor, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointPayload> {
    const { endpointId, ...changes } = input;
    const managed = await this.managed(actor, endpointId);
    if (!managed) return refusedEndpoint(WebhookErrorCode.NOT_FOUND);
    const refusal = await this.contentRefusal(changes);
    if (refusal) return refusedEndpoint(refusal);
    return this.db.transaction(async () => {
      await this.repository.updateEndpoint(endpointId, {
        ...changes,
        types: changes.types && [...new Set(changes.types)],
      });
      await this.record(actor, managed.as, 'webhook_endpoint.update', managed.endpoint, { ...changes });
      return { webhookEndpoint: await this.repository.findEndpoint(endpointId), userErrors: [] };
    });
  }

  async delete(actor: Actor, input: WebhookEndpointInput): Promise<DeleteWebhookEndpointPayload> {
    const managed = await this.managed(actor, input.endpointId);
    if (!managed) return refusedPayload(webhookError, { deletedWebhookEndpointId: null })(WebhookErrorCode.NOT_FOUND);
    return this.db.transaction(async () => {
      await this.repository.deleteEndpoint(input.endpointId);
      await this.record(actor, managed.as, 'webhook_endpoint.delete', managed.endpoint, { url: managed.endpoint.url });
      return { deletedWebhookEndpointId: input.endpointId, userErrors: [] };
    });
  }

  /** A new secret, shown once; the old one keeps signing beside it for WEBHOOK_SECRET_GRACE_SECONDS. The app itself only. */
  async rotateSecret(actor: Actor, input: WebhookEndpointInput): Promise<WebhookEndpointSecretPayload> {
    const app = this.callingApp(actor);
    const managed = await this.managed(app, input.endpointId);
    if (!managed) return refusedSecret(WebhookErrorCode.NOT_FOUND);
    const secret = newWebhookSecret();
    return this.db.transaction(async () => {
      await this.repository.rotateSecret(input.endpointId, secret, this.config.webhooks.secretGraceSeconds);
      await this.record(actor, 'partner', 'webhook_endpoint.rotate_secret', managed.endpoint, {});
      return { webhookEndpoint: await this.repository.findEndpoint(input.endpointId), secret, userErrors: [] };
    });
  }

  async redeliver(actor: Actor, input: RedeliverWebhookInput): Promise<RedeliverWebhookPayload> {
    const delivery = isDatabaseId(input.deliveryId) ? await this.repository.findDelivery(input.deliveryId) : null;
    const managed = delivery && (await this.managed(actor, delivery.endpointId));
    if (!delivery || !managed)
      return refusedPayload(webhookError, { webhookDelivery: null })(WebhookErrorCode.NOT_FOUND);
    return this.db.transaction(async () => {
      const repeated = await this.repository.insertRedelivery(delivery.id);
      await this.record(actor, managed.as, 'webhook_delivery.redeliver', managed.endpoint, {
        deliveryId: delivery.id,
        eventPosition: delivery.eventPosition,
      });
      return { webhookDelivery: repeated, userErrors: [] };
    });
  }

  /** An app's endpoints: its own with its key, or (partnerAppId given) those of an app of a community the caller manages. */
  async list(actor: Actor, args: WebhookEndpointsArgs): Promise<WebhookEndpoint[]> {
    const caller = this.access.requireAuthenticated(actor);
    if (caller.kind === 'partner') {
      if (args.partnerAppId !== undefined && args.partnerAppId !== caller.partnerAppId) throw forbidden();
      return this.repository.endpointsOf(caller.partnerAppId);
    }
    if (args.partnerAppId === undefined) throw forbidden();
    const endpoints = await this.repository.endpointsOf(args.partnerAppId);
    // An app without endpoints shows nothing either way, so that the answer tells no stranger whether the app exists.
    if (endpoints.length > 0 && !(await this.access.managerRole(actor, endpoints[0].communityId))) throw forbidden();
    return endpoints;
  }

  async find(actor: Actor, endpointId: string): Promise<WebhookEndpoint> {
    const managed = await this.managed(actor, endpointId);
    if (!managed) throw forbidden();
    return managed.endpoint;
  }

  /** An endpoint's deliveries, newest first. */
  async deliveries(actor: Actor, args: WebhookDeliveriesArgs): Promise<Connection<WebhookDelivery>> {
    if (!(await this.managed(actor, args.endpointId))) throw forbidden();
    const after = DELIVERY_CURSORS.decode(args.after);
    const rows = await this.repository.deliveriesPage({ ...args, beforeId: after?.[0], limit: args.first + 1 });
    return DELIVERY_CURSORS.page(
      rows,
      args.first,
      (delivery) => [BigInt(delivery.id)],
      (delivery) => delivery,
      after,
    );
  }

  /** Only a partner app, with its own key, owns endpoints. */
  private callingApp(actor: Actor): PartnerActor {
    const caller = this.access.requireAuthenticated(actor);
    if (caller.kind !== 'partner') throw forbidden();
    return caller;
  }

  /** The endpoint, when the caller is its app or a manager of the app's community; null otherwise, whether or not it exists. */
  private async managed(
    actor: Actor,
    endpointId: string,
  ): Promise<{ endpoint: EndpointRow; as: ManagerCapacity } | null> {
    const caller = this.access.requireAuthenticated(actor);
    const endpoint = isDatabaseId(endpointId) ? await this.repository.findEndpoint(endpointId) : null;
    if (!endpoint) return null;
    if (caller.kind === 'partner')
      return caller.partnerAppId === endpoint.partnerAppId ? { endpoint, as: 'partner' } : null;
    const role = await this.access.managerRole(caller, endpoint.communityId);
    return role ? { endpoint, as: role } : null;
  }

  /** Unknown event types, or a URL the SSRF guard refuses (resolved now; again at every delivery). */
  private async contentRefusal(content: { url?: string; types?: string[] }): Promise<WebhookErrorCode | null> {
    if (content.types && !content.types.every(isEventType)) return WebhookErrorCode.UNKNOWN_EVENT_TYPE;
    if (content.url === undefined) return null;
    try {
      await resolveTarget(content.url, this.config.webhooks.allowPrivateTargets);
      return null;
    } catch (error) {
      if (error instanceof TargetRefused) return WebhookErrorCode.URL_NOT_ALLOWED;
      throw error;
    }
  }

  private record(
    actor: Actor,
    as: ManagerCapacity,
    action: string,
    endpoint: EndpointRow,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(actor, {
      as,
      action,
      communityId: endpoint.communityId,
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      details: { partnerAppId: endpoint.partnerAppId, ...details },
    });
  }
}
