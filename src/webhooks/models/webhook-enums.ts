import { registerEnumType } from '@nestjs/graphql';

export enum WebhookDeliveryStatus {
  PENDING = 'pending',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesMap: {
    PENDING: { description: 'Queued, or retrying after a failed attempt: see nextAttemptAt.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: {
      description: 'Given up: its endpoint was disabled after failing for too long. redeliverWebhook sends it again.',
    },
  },
});

export enum WebhookDisabledReason {
  FAILING = 'failing',
  OWNER = 'owner',
}

registerEnumType(WebhookDisabledReason, {
  name: 'WebhookDisabledReason',
  description: 'Why an endpoint receives nothing for now.',
  valuesMap: {
    FAILING: {
      description:
        'Its deliveries failed for too long (a day by default) without a success: enable it again once it answers.',
    },
    OWNER: { description: 'Its owner disabled it (updateWebhookEndpoint, enabled: false).' },
  },
});
