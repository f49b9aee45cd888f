import { Injectable } from '@nestjs/common';
import { prepared } from '../../libs/database/prepared-statements.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import type { Standing } from './actor.js';

/** What access decisions about one account rest on. */
export interface AccountFacts {
  accountId: string;
  kind: 'member' | 'issuance' | 'pool';
  communityId: string;
  /** The member whose membership holds the account; null for system accounts. */
  ownerMemberId: string | null;
  membershipStatus: string | null;
  balancesVisible: boolean;
}

type Row = Record<string, unknown>;

/**
 * An account's facts as columns of a query over `accounts a` joined by ACCOUNT_FACTS_JOINS: so that
 * a query reading an account can read what access to it rests on in the same round trip.
 */
export const ACCOUNT_FACTS_COLUMNS = `a.id AS facts_account_id, a.kind AS facts_kind, c.community_id AS facts_community_id,
  m.member_id AS facts_owner_member_id, m.status AS facts_membership_status, co.balances_visible AS facts_balances_visible`;
export const ACCOUNT_FACTS_JOINS = `JOIN currencies c ON c.id = a.currency_id
  JOIN communities co ON co.id = c.community_id
  LEFT JOIN memberships m ON m.account_id = a.id`;

/** The facts of accounts ($1: their ids): every request that names an account reads them, so prepared. */
const FACTS_OF_ACCOUNTS = prepared(
  `SELECT ${ACCOUNT_FACTS_COLUMNS} FROM accounts a ${ACCOUNT_FACTS_JOINS} WHERE a.id = ANY($1::bigint[])`,
);

/** The facts of a row holding ACCOUNT_FACTS_COLUMNS. */
export function toAccountFacts(row: Row): AccountFacts {
  return {
    accountId: row.facts_account_id as string,
    kind: row.facts_kind as AccountFacts['kind'],
    communityId: row.facts_community_id as string,
    ownerMemberId: (row.facts_owner_member_id as string | null) ?? null,
    membershipStatus: (row.facts_membership_status as string | null) ?? null,
    balancesVisible: row.facts_balances_visible as boolean,
  };
}

/** Reads the facts access rules need: who holds which account, who stands where in which community. */
@Injectable()
export class AccessRepository {
  constructor(private readonly db: TransactionalConnection) {}

  async accountFacts(accountIds: readonly string[]): Promise<AccountFacts[]> {
    const rows: Row[] = await this.db.manager.query(FACTS_OF_ACCOUNTS, [accountIds]);
    return rows.map(toAccountFacts);
  }

  /** Open memberships only: a closed one confers nothing. */
  async standings(memberId: string): Promise<Standing[]> {
    const rows: Row[] = await this.db.manager.query(
      `SELECT community_id, role, status FROM memberships WHERE member_id = $1 AND status <> 'closed'`,
      [memberId],
    );
    return rows.map((row) => ({
      communityId: row.community_id as string,
      role: row.role as Standing['role'],
      status: row.status as Standing['status'],
    }));
  }

  /** Which of these communities exist. */
  async existingCommunities(communityIds: readonly string[]): Promise<string[]> {
    const rows: Row[] = await this.db.manager.query('SELECT id FROM communities WHERE id = ANY($1::bigint[])', [
      communityIds,
    ]);
    return rows.map((row) => row.id as string);
  }

  async communityOfCurrency(currencyId: string): Promise<{ communityId: string; balancesVisible: boolean } | null> {
    const [row]: Row[] = await this.db.manager.query(
      'SELECT c.community_id, co.balances_visible FROM currencies c JOIN communities co ON co.id = c.community_id WHERE c.id = $1',
      [currencyId],
    );
    return row ? { communityId: row.community_id as string, balancesVisible: row.balances_visible as boolean } : null;
  }
}
