import { registerEnumType } from '@nestjs/graphql';

export enum AccountKind {
  MEMBER = 'member',
  ISSUANCE = 'issuance',
  POOL = 'pool',
}
registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: 'Who an account belongs to.',
  valuesMap: {
    MEMBER: { description: 'Owned by a member (a person or an organisation).' },
    ISSUANCE: { description: 'The community account that creates money; its balance is minus all money in circulation.' },
    POOL: { description: 'The community pool: levies, donations, settled balances of closed memberships.' },
  },
});

export enum AccountStatus {
  OPEN = 'open',
  FROZEN = 'frozen',
  CLOSED = 'closed',
}
registerEnumType(AccountStatus, {
  name: 'AccountStatus',
  valuesMap: {
    OPEN: { description: 'Can send and receive.' },
    FROZEN: { description: 'Temporarily cannot send or receive.' },
    CLOSED: { description: 'Permanently cannot send or receive.' },
  },
});
