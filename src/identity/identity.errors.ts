import { registerEnumType } from '@nestjs/graphql';

/** Expected failures of login and token refresh, returned as data. */
export enum AuthErrorCode {
  /** The email and password do not match a member. Deliberately the same whether or not the email exists. */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** Too many failed logins for this email or from this address; wait and retry. */
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  /** The refresh token is unknown, expired, revoked or already used; log in again. */
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  /** The invitation token is unknown, expired or already used. */
  INVALID_INVITATION = 'INVALID_INVITATION',
}

registerEnumType(AuthErrorCode, { name: 'AuthErrorCode', description: 'Why a login, a token refresh or an invitation was refused.' });

export const AUTH_ERROR_MESSAGES: Record<AuthErrorCode, string> = {
  [AuthErrorCode.INVALID_CREDENTIALS]: 'Email or password is incorrect',
  [AuthErrorCode.TOO_MANY_ATTEMPTS]: 'Too many failed attempts; try again in 15 minutes',
  [AuthErrorCode.INVALID_REFRESH_TOKEN]: 'The refresh token is not valid; log in again',
  [AuthErrorCode.INVALID_INVITATION]: 'The invitation is unknown, expired or already used',
};
