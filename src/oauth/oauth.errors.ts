import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why a partner app's OAuth profile or its consents could not be changed. Stable: partners switch on these. */
export enum OAuthErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  REDIRECT_URI_INVALID = 'REDIRECT_URI_INVALID',
  PARTNER_APP_CANNOT_ACT_FOR_MEMBERS = 'PARTNER_APP_CANNOT_ACT_FOR_MEMBERS',
  NO_LIVE_CONSENT = 'NO_LIVE_CONSENT',
}

const OAUTH_ERRORS: Record<OAuthErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  REDIRECT_URI_INVALID: {
    field: 'redirectUris',
    message:
      "A redirect URI is refused: use https (http only on a loopback address), or an app's own scheme such as " +
      'com.example.app:/callback; no fragment.',
  },
  PARTNER_APP_CANNOT_ACT_FOR_MEMBERS: {
    field: 'redirectUris',
    message:
      'Only an app with the ACT_FOR_MEMBER scope can have redirect URIs: members approve nothing else through OAuth.',
  },
  NO_LIVE_CONSENT: { field: 'memberId', message: 'No member has a live consent to this app that could be revoked.' },
};

export const oauthError = userErrorCodes(
  OAuthErrorCode,
  'OAuthErrorCode',
  "Why a partner app's profile or consents were not changed. A refusal changes nothing.",
  OAUTH_ERRORS,
).userError;
