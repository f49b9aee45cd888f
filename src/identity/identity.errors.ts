import { registerEnumType } from '@nestjs/graphql';
import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Expected failures of login and token refresh, returned as data. */
export enum AuthErrorCode {
  /** The email and password do not match a member. Deliberately the same whether or not the email exists. */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /**
   * Too many wrong passwords: for this email from this address (5 in 15 minutes by default), for
   * this email from anywhere (50 an hour), or from this address for any email (30 in 15 minutes);
   * wait and retry. Each guess is counted before the password is checked.
   */
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  /** The refresh token is unknown, expired, revoked or already used; log in again. */
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  /** The invitation token is unknown, expired or already used. */
  INVALID_INVITATION = 'INVALID_INVITATION',
  INVALID_INPUT = 'INVALID_INPUT',
  PASSWORD_TOO_WEAK = 'PASSWORD_TOO_WEAK',
}

registerEnumType(AuthErrorCode, {
  name: 'AuthErrorCode',
  description: 'Why a login, a token refresh or an invitation was refused.',
  valuesMap: {
    INVALID_CREDENTIALS: {
      description: 'The email and password do not match a member; the same answer whether or not the email exists.',
    },
    TOO_MANY_ATTEMPTS: {
      description:
        'Too many wrong passwords for this email from this address, for this email from anywhere, or from this address; wait and retry (docs/identity.md gives the limits).',
    },
    INVALID_REFRESH_TOKEN: {
      description: 'The refresh token is unknown, expired, revoked or already used; log in again.',
    },
    INVALID_INVITATION: { description: 'The invitation token is unknown, expired or already used.' },
    INVALID_INPUT: { description: INVALID_INPUT_DESCRIPTION.message },
    PASSWORD_TOO_WEAK: {
      description: 'The new password is too easy to guess; the message says why. Its field names it.',
    },
  },
});

const AUTH_ERROR_MESSAGES: Record<AuthErrorCode, string> = {
  [AuthErrorCode.INVALID_CREDENTIALS]: 'Email or password is incorrect',
  [AuthErrorCode.TOO_MANY_ATTEMPTS]: 'Too many failed attempts; try again later',
  [AuthErrorCode.INVALID_REFRESH_TOKEN]: 'The refresh token is not valid; log in again',
  [AuthErrorCode.INVALID_INVITATION]: 'The invitation is unknown, expired or already used',
  [AuthErrorCode.INVALID_INPUT]: INVALID_INPUT_DESCRIPTION.message,
  [AuthErrorCode.PASSWORD_TOO_WEAK]: 'The password is too easy to guess',
};

/** An AuthUserError of a business rule: these refusals name no input field. */
export function authError(code: AuthErrorCode): { code: AuthErrorCode; field: null; message: string } {
  return { code, field: null, message: AUTH_ERROR_MESSAGES[code] };
}

/** Why a session action was refused. Stable: partners switch on these. */
export enum SessionErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
}

export const sessionError = userErrorCodes(
  SessionErrorCode,
  'SessionErrorCode',
  'Why signing out, or ending a session, was refused. A refusal changes nothing.',
  {
    INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
    SESSION_NOT_FOUND: { field: 'sessionId', message: 'This is not one of your live sessions.' },
  },
).userError;

/** Why an action on a partner app, its key or a consent to it was refused. Stable: partners switch on these. */
export enum PartnerAppErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  CONSENT_NOT_FOUND = 'CONSENT_NOT_FOUND',
}

export const partnerAppError = userErrorCodes(
  PartnerAppErrorCode,
  'PartnerAppErrorCode',
  'Why an action on a partner app, its key or your consent to it was refused. A refusal changes nothing.',
  {
    INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
    CONSENT_NOT_FOUND: { field: 'partnerAppId', message: 'You had not consented to this partner app.' },
  },
).userError;
