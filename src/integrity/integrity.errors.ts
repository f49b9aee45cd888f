import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why an action on the ledger's integrity (a verification, a checkpoint, an alert) was refused. Stable: partners switch on these. */
export enum IntegrityErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  NO_OPEN_ALERT = 'NO_OPEN_ALERT',
}

export const integrityError = userErrorCodes(
  IntegrityErrorCode,
  'IntegrityErrorCode',
  "Why a verification run, a checkpoint or an alert's acknowledgement was refused. A refusal changes nothing.",
  {
    INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
    NO_OPEN_ALERT: {
      field: 'runId',
      message: 'This run has no open alert: it passed, or its alert is already closed.',
    },
  },
).userError;
