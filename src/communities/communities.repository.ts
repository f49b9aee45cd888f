import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { Community, CommunityPolicies } from './models/community.models.js';

type Row = Record<string, unknown>;

const big = (value: unknown): bigint => BigInt(value as string);

function toPolicies(row: Row): CommunityPolicies {
  return {
    starterGrant: big(row.starter_grant),
    defaultLowerLimit: big(row.default_lower_limit),
    defaultUpperLimit: row.default_upper_limit === null ? null : big(row.default_upper_limit),
    autoConfirmSeconds: row.auto_confirm_seconds as number,
    holdTimeoutSeconds: row.hold_timeout_seconds as number,
    balancesVisible: row.balances_visible as boolean,
  };
}

/** Communities and their policies, which are columns of the community's row. */
@Injectable()
export class CommunitiesRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  async list(): Promise<Community[]> {
    return (await this.query('SELECT id, slug, name FROM communities ORDER BY id')) as unknown as Community[];
  }

  /** Communities after `afterId`, in order of id. */
  async page(afterId: bigint | undefined, limit: number): Promise<Community[]> {
    return (await this.query('SELECT id, slug, name FROM communities WHERE id > $1 ORDER BY id LIMIT $2', [
      afterId ?? 0,
      limit,
    ])) as unknown as Community[];
  }

  async count(): Promise<number> {
    const [row] = await this.query('SELECT count(*)::int AS count FROM communities');
    return row.count as number;
  }

  async find(id: string): Promise<Community | null> {
    const [row] = await this.query('SELECT id, slug, name FROM communities WHERE id = $1', [id]);
    return (row as unknown as Community | undefined) ?? null;
  }

  async findMany(ids: string[]): Promise<Community[]> {
    return (await this.query('SELECT id, slug, name FROM communities WHERE id = ANY($1::bigint[])', [
      ids,
    ])) as unknown as Community[];
  }

  async findBySlug(slug: string): Promise<Community | null> {
    const [row] = await this.query('SELECT id, slug, name FROM communities WHERE slug = $1', [slug]);
    return (row as unknown as Community | undefined) ?? null;
  }

  async insert(slug: string, name: string): Promise<Community> {
    const [row] = await this.query('INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING id, slug, name', [
      slug,
      name,
    ]);
    return row as unknown as Community;
  }

  async policies(communityId: string): Promise<CommunityPolicies | null> {
    const [row] = await this.query('SELECT * FROM communities WHERE id = $1', [communityId]);
    return row ? toPolicies(row) : null;
  }

  /** Read for a change: concurrent changes of one community's policies apply one after another. */
  async lockPolicies(communityId: string): Promise<CommunityPolicies | null> {
    const [row] = await this.query('SELECT * FROM communities WHERE id = $1 FOR UPDATE', [communityId]);
    return row ? toPolicies(row) : null;
  }

  async updatePolicies(communityId: string, policies: CommunityPolicies): Promise<void> {
    await this.query(
      `UPDATE communities SET starter_grant = $2, default_lower_limit = $3, default_upper_limit = $4, auto_confirm_seconds = $5,
              hold_timeout_seconds = $6, balances_visible = $7 WHERE id = $1`,
      [
        communityId,
        policies.starterGrant.toString(),
        policies.defaultLowerLimit.toString(),
        policies.defaultUpperLimit?.toString() ?? null,
        policies.autoConfirmSeconds,
        policies.holdTimeoutSeconds,
        policies.balancesVisible,
      ],
    );
  }
}
