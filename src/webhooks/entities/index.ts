import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export const WEBHOOK_ENTITIES = [WebhookEndpointEntity, WebhookDeliveryEntity];
