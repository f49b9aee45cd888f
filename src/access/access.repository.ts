import { Injectable } from '@nestjs/common';
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

/** Reads the facts access rules need: who holds which account, who stands where in which community. */
@Injectable()
export class AccessRepository {
  constructor(private readonly db: TransactionalConnection) {}

  async accountFacts(accountIds: readonly string[]): Promise<AccountFacts[]> {
    const rows: Row[] = await this.db.manager.query(
      `SELECT a.id, a.kind, c.community_id, m.member_id, m.status, co.balances_visible
         FROM accounts a
         JOIN currencies c ON c.id = a.currency_id
         JOIN communities co ON co.id = c.community_id
         LEFT JOIN memberships m ON m.account_id = a.id
        WHERE a.id = ANY($1::bigint[])`,
      [accountIds],
    );
    return rows.map((row) => ({
      accountId: row.id as string,
      kind: row.kind as AccountFacts['kind'],
      communityId: row.community_id as string,
      ownerMemberId: (row.member_id as string | null) ?? null,
      membershipStatus: (row.status as string | null) ?? null,
      balancesVisible: row.balances_visible as boolean,
    }));
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
