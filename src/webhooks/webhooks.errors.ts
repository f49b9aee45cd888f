import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { userErrorCodes, userErrorType } from '../../libs/graphql/user-errors.js';

/** At most this many endpoints per partner app: each one multiplies the app's deliveries. */
export const MAX_ENDPOINTS_PER_APP = 10;

/** Why an action on a webhook endpoint or delivery was refused. Stable: partners switch on these. */
export enum WebhookErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  URL_NOT_ALLOWED = 'URL_NOT_ALLOWED',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  NOT_FOUND = 'NOT_FOUND',
  TOO_MANY_ENDPOINTS = 'TOO_MANY_ENDPOINTS',
}

const DESCRIPTION = 'Why an action on a webhook endpoint or delivery was refused. A refusal changes nothing.';

export const webhookError = userErrorCodes(WebhookErrorCode, 'WebhookErrorCode', DESCRIPTION, {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  URL_NOT_ALLOWED: {
    field: 'url',
    message:
      'The URL must be http or https, without credentials, and its host must resolve, only to public addresses (no private, loopback, link-local, unique-local, multicast or unspecified address).',
  },
  UNKNOWN_EVENT_TYPE: { field: 'types', message: 'An event type is not one of docs/api.md "Events".' },
  NOT_FOUND: {
    field: null,
    message: 'No such webhook endpoint or delivery among those you manage.',
  },
  TOO_MANY_ENDPOINTS: {
    field: null,
    message: `A partner app may have at most ${MAX_ENDPOINTS_PER_APP} webhook endpoints; delete one first.`,
  },
}).userError;

export const WebhookUserError = userErrorType(
  WebhookErrorCode,
  'WebhookUserError',
  'A refusal of a webhook action: it was permitted but not possible, and changed nothing.',
);
