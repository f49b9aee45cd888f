import { ApiKeyEntity } from './api-key.entity.js';
import { PartnerConsentEntity } from './partner-consent.entity.js';
import { RetiredRefreshTokenEntity } from './retired-refresh-token.entity.js';
import { SessionEntity } from './session.entity.js';

export const IDENTITY_ENTITIES = [SessionEntity, RetiredRefreshTokenEntity, ApiKeyEntity, PartnerConsentEntity];
