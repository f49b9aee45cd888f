import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why creating a community or changing its policies was refused. Stable: partners switch on these. */
export enum CommunityErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  SLUG_TAKEN = 'SLUG_TAKEN',
  POLICY_INVALID = 'POLICY_INVALID',
}

const COMMUNITY_ERRORS: Record<CommunityErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  SLUG_TAKEN: { field: 'slug', message: 'A community with this slug already exists.' },
  POLICY_INVALID: {
    field: 'policies',
    message:
      'The policies contradict each other: the lower limit must be at most 0, and an upper limit at least the starter grant.',
  },
};

export const communityError = userErrorCodes(
  CommunityErrorCode,
  'CommunityErrorCode',
  'Why a community action was refused. A refusal changes nothing.',
  COMMUNITY_ERRORS,
).userError;
