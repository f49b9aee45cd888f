import { ErrorCode } from '../../libs/graphql/error-code.js';
import { GraphqlClient, GraphqlResponse, TestApp } from '../../libs/testing/test-app.js';
import { gql } from './graphql-client.js';

/** What every denial says, whether the object is someone else's or does not exist at all. */
export const FORBIDDEN_ERROR = { code: ErrorCode.FORBIDDEN, message: 'Not permitted, or no such object' };

/** The part of top-level errors a client relies on: code and message. */
export function errorSummary(errors: GraphqlResponse['errors']): { code: unknown; message: string }[] | undefined {
  return errors?.map(({ message, extensions }) => ({ code: extensions?.code, message }));
}

/** A denial of a root field: HTTP 200, no data, and the one FORBIDDEN error that says nothing about the object. */
export function expectForbidden(response: GraphqlResponse): void {
  expect({ status: response.status, data: response.data ?? null, errors: errorSummary(response.errors) })
    .toEqual({ status: 200, data: null, errors: [FORBIDDEN_ERROR] });
}

export interface AuditRow {
  actorMemberId: string | null;
  actorRole: string;
  partnerAppId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * One community's audit rows, oldest first. Test files share the database, so audit rows are
 * always counted within a fixture's own community, never globally.
 */
export function auditRowsOf(t: TestApp, communityId: string): Promise<AuditRow[]> {
  return t.dataSource.query(
    `SELECT actor_member_id AS "actorMemberId", actor_role AS "actorRole", partner_app_id AS "partnerAppId", action,
            target_type AS "targetType", target_id AS "targetId", reason, details
       FROM audit_log WHERE community_id = $1 ORDER BY id`,
    [communityId],
  );
}

/** Registers a partner app as a manager of its community; returns its id and its (only) API key. */
export async function registerPartnerApp(manager: GraphqlClient, communityId: string, scopes: string[]): Promise<{ partnerAppId: string; apiKey: string }> {
  const { registerPartnerApp: registered } = await gql<{ registerPartnerApp: { apiKey: string; partnerApp: { id: string } } }>(
    manager,
    'mutation Register($input: RegisterPartnerAppInput!) { registerPartnerApp(input: $input) { apiKey partnerApp { id } } }',
    { input: { communityId, name: 'Test partner', scopes } },
  );
  return { partnerAppId: registered.partnerApp.id, apiKey: registered.apiKey };
}

/** The member in person lets the partner app act for them. */
export async function grantPartnerConsent(member: GraphqlClient, partnerAppId: string): Promise<void> {
  const { grantPartnerConsent: granted } = await gql<{ grantPartnerConsent: boolean }>(
    member, 'mutation Consent($id: ID!) { grantPartnerConsent(partnerAppId: $id) }', { id: partnerAppId },
  );
  expect(granted).toBe(true);
}
