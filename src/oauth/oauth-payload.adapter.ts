import type { Adapter, AdapterPayload } from 'oidc-provider';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';

type Row = Record<string, unknown>;

/**
 * oidc-provider's storage, one instance per model, on PostgreSQL (oauth_payloads), so that every
 * replica sees the same codes, tokens, grants and sign-in sessions. Expired rows are not returned
 * (the sweeper deletes them later); a consumed code or refresh token comes back with `consumed`,
 * which is how the library detects a replay and revokes the grant.
 */
export class OAuthPayloadAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly db: TransactionalConnection,
  ) {}

  private async query(sql: string, params: unknown[]): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    // The app and member are copied into columns so that revoking either deletes the row (see the migration).
    const partnerAppId = isDatabaseId(payload.clientId) ? payload.clientId : null;
    const memberId = isDatabaseId(payload.accountId) ? payload.accountId : null;
    await this.query(
      `INSERT INTO oauth_payloads (model, id, payload, grant_id, uid, partner_app_id, member_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         uid = EXCLUDED.uid,
         partner_app_id = EXCLUDED.partner_app_id, member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at`,
      [
        this.model,
        id,
        payload,
        payload.grantId ?? null,
        payload.uid ?? null,
        partnerAppId,
        memberId,
        expiresIn ?? null,
      ],
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id = $2', id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid = $2', uid);
  }

  /** The device flow, the only user of user codes, is off. */
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    await this.query('UPDATE oauth_payloads SET consumed_at = now() WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.query('DELETE FROM oauth_payloads WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.query('DELETE FROM oauth_payloads WHERE model = $1 AND grant_id = $2', [this.model, grantId]);
  }

  private async findWhere(condition: string, value: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.query(
      `SELECT payload, floor(extract(epoch FROM consumed_at))::integer AS consumed FROM oauth_payloads
        WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, value],
    );
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed === null ? payload : { ...payload, consumed: row.consumed as number };
  }
}
