import { OutboxEventEntity } from './outbox-event.entity.js';

export const EVENT_ENTITIES = [OutboxEventEntity];
