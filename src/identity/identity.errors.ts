import { registerEnumType } from '@nestjs/graphql';

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
  },
});

const AUTH_ERROR_MESSAGES: Record<AuthErrorCode, string> = {
  [AuthErrorCode.INVALID_CREDENTIALS]: 'Email or password is incorrect',
  [AuthErrorCode.TOO_MANY_ATTEMPTS]: 'Too many failed attempts; try again later',
  [AuthErrorCode.INVALID_REFRESH_TOKEN]: 'The refresh token is not valid; log in again',
  [AuthErrorCode.INVALID_INVITATION]: 'The invitation is unknown, expired or already used',
};

/** An AuthUserError: these refusals name no input field. */
export function authError(code: AuthErrorCode): { code: AuthErrorCode; message: string } {
  return { code, message: AUTH_ERROR_MESSAGES[code] };
}
