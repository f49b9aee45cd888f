import { ErrorCode } from '../../libs/graphql/error-code.js';
import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { userErrorCodes } from '../../libs/graphql/user-errors.js';

/**
 * Why GET /exports/<token> gave no file: the HTTP status and the `errors[0].extensions.code` of its
 * JSON body (the shape GraphQL errors have), so that clients read both alike.
 */
export const DownloadRefusal = {
  /** 404: no such link; a malformed token too. */
  unknown: { status: 404, code: 'EXPORT_LINK_UNKNOWN', message: 'No such export link' },
  /** 410: the link existed and has expired; request a new one. */
  expired: { status: 410, code: 'EXPORT_LINK_EXPIRED', message: 'This export link has expired; request a new one' },
  /** 403: whoever asked for the link may no longer read this report. */
  forbidden: { status: 403, code: ErrorCode.FORBIDDEN, message: 'Not permitted, or no such object' },
  /** 503: too many downloads at once on this server, or the database is unavailable; retry shortly. */
  unavailable: { status: 503, code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The service is busy; retry shortly' },
} as const;

export type DownloadRefusalReason = (typeof DownloadRefusal)[keyof typeof DownloadRefusal];

/** Thrown before any byte of the file is sent, and answered as JSON. */
export class ExportDownloadRefused extends Error {
  constructor(readonly refusal: DownloadRefusalReason) {
    super(refusal.message);
  }
}

/** Why a report action (an export link) was refused. Stable: partners switch on these. */
export enum ReportErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
}

/** Registered for ReportUserError; its one code is answered by invalidInputAsUserErrors. */
userErrorCodes(
  ReportErrorCode,
  'ReportErrorCode',
  "Why an export link was refused: its parameters do not fit its kind, or a period's end comes before its start. A refusal changes nothing.",
  { INVALID_INPUT: INVALID_INPUT_DESCRIPTION },
);
