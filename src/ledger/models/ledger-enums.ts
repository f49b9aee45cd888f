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
    ISSUANCE: {
      description: 'The community account that creates money; its balance is minus all money in circulation.',
    },
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
  description:
    'Whether an account may move money; coordinators freeze and unfreeze, closing a membership closes its account.',
  valuesMap: {
    OPEN: { description: 'Can send and receive.' },
    FROZEN: { description: 'Temporarily cannot send or receive.' },
    CLOSED: { description: 'Permanently cannot send or receive.' },
  },
});

export enum TransferKind {
  DIRECT = 'direct',
  PENDING = 'pending',
  POST_PENDING = 'post_pending',
  VOID_PENDING = 'void_pending',
}
registerEnumType(TransferKind, {
  name: 'TransferKind',
  description: 'The phase of a transfer: posted at once, or a pending one and what resolved it.',
  valuesMap: {
    DIRECT: { description: 'Posted at once.' },
    PENDING: { description: 'Reserves funds until posted, voided or expired.' },
    POST_PENDING: { description: 'Posts a pending transfer, in full or in part; the rest is released.' },
    VOID_PENDING: { description: 'Releases a pending transfer (code "expired" when its timeout passed).' },
  },
});

export enum PendingStatus {
  OPEN = 'open',
  POSTED = 'posted',
  VOIDED = 'voided',
  EXPIRED = 'expired',
}
registerEnumType(PendingStatus, {
  name: 'PendingStatus',
  description: 'Where a pending transfer stands.',
  valuesMap: {
    OPEN: { description: 'Still reserving its funds: it may be posted or voided until its timeout.' },
    POSTED: { description: 'Posted, in full or in part, by a POST_PENDING transfer.' },
    VOIDED: { description: 'Released without payment by a VOID_PENDING transfer.' },
    EXPIRED: {
      description: 'Its timeout passed before it was posted: it can no longer be posted, and is (or will be) released.',
    },
  },
});

export enum BatchMode {
  LINKED = 'linked',
  INDEPENDENT = 'independent',
}
registerEnumType(BatchMode, {
  name: 'BatchMode',
  description: 'Whether the transfers of a batch succeed or fail together.',
  valuesMap: {
    LINKED: { description: 'All transfers apply, or none.' },
    INDEPENDENT: { description: 'Each transfer stands alone, as when importing history.' },
  },
});
