import { OAuthPayloadEntity } from './oauth-payload.entity.js';

export const OAUTH_ENTITIES = [OAuthPayloadEntity];
