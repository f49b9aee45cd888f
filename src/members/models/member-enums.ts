import { registerEnumType } from '@nestjs/graphql';

export enum MemberKind {
  PERSON = 'person',
  ORGANISATION = 'organisation',
}
registerEnumType(MemberKind, {
  name: 'MemberKind',
  description: 'What kind of party a member is; both trade alike.',
  valuesMap: {
    PERSON: { description: 'A resident, in their own name.' },
    ORGANISATION: { description: 'A shop, an NGO or another organisation, acting through its people.' },
  },
});

export enum MembershipRole {
  MEMBER = 'member',
  COORDINATOR = 'coordinator',
}
registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  description: 'What a member may do in one community.',
  valuesMap: {
    MEMBER: { description: 'Trades: lists, exchanges and pays from their own account.' },
    COORDINATOR: { description: 'Manages the community: members, accounts, policies, reversals. Audited.' },
  },
});

export enum MembershipStatus {
  PENDING = 'pending',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  CLOSED = 'closed',
}
registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Where a membership stands, from the request to join to its close.',
  valuesMap: {
    PENDING: { description: 'Waiting for a coordinator to approve it.' },
    ACTIVE: { description: 'Can trade; approval paid the starter grant.' },
    SUSPENDED: { description: 'Cannot pay until reinstated; can still be paid and read.' },
    CLOSED: { description: 'Ended, with the account settled and closed.' },
  },
});
