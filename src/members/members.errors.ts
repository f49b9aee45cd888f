import { INVALID_INPUT_DESCRIPTION } from '../../libs/graphql/invalid-input.js';
import { ErrorDescription, userErrorCodes } from '../../libs/graphql/user-errors.js';

/** Why a membership action was refused. Stable: partners switch on these. */
export enum MemberErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  PASSWORD_TOO_WEAK = 'PASSWORD_TOO_WEAK',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  COMMUNITY_NOT_FOUND = 'COMMUNITY_NOT_FOUND',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
  MEMBERSHIP_NOT_PENDING = 'MEMBERSHIP_NOT_PENDING',
  MEMBERSHIP_NOT_ACTIVE = 'MEMBERSHIP_NOT_ACTIVE',
  MEMBERSHIP_NOT_SUSPENDED = 'MEMBERSHIP_NOT_SUSPENDED',
  MEMBERSHIP_CLOSED = 'MEMBERSHIP_CLOSED',
  BALANCE_NOT_SETTLED = 'BALANCE_NOT_SETTLED',
  PENDING_TRANSFERS_OPEN = 'PENDING_TRANSFERS_OPEN',
  SETTLEMENT_REFUSED = 'SETTLEMENT_REFUSED',
  STARTER_GRANT_REFUSED = 'STARTER_GRANT_REFUSED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  SLUG_TAKEN = 'SLUG_TAKEN',
  POLICY_INVALID = 'POLICY_INVALID',
}

// Community refusals have their own type since 0.2.0; these stay in the enum until their removal (CHANGELOG.md).
const MOVED = 'Never returned: community refusals are CommunityErrorCode. Removed on or after 2027-06-01.';

const MEMBER_ERRORS: Record<MemberErrorCode, ErrorDescription> = {
  INVALID_INPUT: INVALID_INPUT_DESCRIPTION,
  PASSWORD_TOO_WEAK: { field: 'password', message: 'The password is too easy to guess.' },
  EMAIL_TAKEN: { field: 'email', message: 'A member with this email already exists.' },
  COMMUNITY_NOT_FOUND: { field: 'communityId', message: 'No community has this id.' },
  ALREADY_MEMBER: { field: 'communityId', message: 'You already have an open membership in this community.' },
  MEMBERSHIP_NOT_PENDING: { field: 'membershipId', message: 'Only a pending membership can be approved.' },
  MEMBERSHIP_NOT_ACTIVE: { field: 'membershipId', message: 'Only an active membership can be suspended.' },
  MEMBERSHIP_NOT_SUSPENDED: { field: 'membershipId', message: 'Only a suspended membership can be reinstated.' },
  MEMBERSHIP_CLOSED: { field: 'membershipId', message: 'The membership is closed.' },
  BALANCE_NOT_SETTLED: {
    field: 'settleToPool',
    message: "The account's balance is not zero: a coordinator must settle it to the pool.",
  },
  PENDING_TRANSFERS_OPEN: { field: 'membershipId', message: 'The account has open holds; post or void them first.' },
  SETTLEMENT_REFUSED: {
    field: 'settleToPool',
    message: 'The ledger refused the settlement (a frozen account, or a pool too small to absorb a debt).',
  },
  STARTER_GRANT_REFUSED: {
    field: 'membershipId',
    message: "The ledger refused the starter grant (the account's limits, or a frozen account).",
  },
  REASON_REQUIRED: { field: 'reason', message: 'This action needs a written reason.' },
  SLUG_TAKEN: { field: 'slug', message: 'A community with this slug already exists.', deprecationReason: MOVED },
  POLICY_INVALID: { field: 'policies', message: 'The policies contradict each other.', deprecationReason: MOVED },
};

export const memberError = userErrorCodes(
  MemberErrorCode,
  'MemberErrorCode',
  'Why a membership action was refused. A refusal changes nothing.',
  MEMBER_ERRORS,
).userError;
