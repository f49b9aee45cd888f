import { registerEnumType } from '@nestjs/graphql';

export enum MemberKind {
  PERSON = 'person',
  ORGANISATION = 'organisation',
}
registerEnumType(MemberKind, { name: 'MemberKind' });

export enum MembershipRole {
  MEMBER = 'member',
  COORDINATOR = 'coordinator',
}
registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  valuesMap: {
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
  valuesMap: {
    PENDING: { description: 'Waiting for a coordinator to approve it.' },
    ACTIVE: { description: 'Can trade; approval paid the starter grant.' },
    SUSPENDED: { description: 'Cannot pay until reinstated; can still be paid and read.' },
    CLOSED: { description: 'Ended, with the account settled and closed.' },
  },
});
