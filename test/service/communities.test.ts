import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { actorOf, useTestServices } from '../support/test-services.js';
import type { Actor } from '../../src/access/actor.js';
import { CommunityErrorCode } from '../../src/communities/communities.errors.js';
import { DEFAULT_POLICIES } from '../../src/communities/communities.service.js';
import { CommunityPoliciesInput, CreateCommunityInput } from '../../src/communities/dto/community.inputs.js';
import { CommunityPolicies } from '../../src/communities/models/community.models.js';
import { AccountKind } from '../../src/ledger/models/ledger-enums.js';
import { NONEXISTENT_ID } from '../e2e/denials.js';

/** What createLedgerFixture's communities start with: no starter grant. */
const FIXTURE_POLICIES: CommunityPolicies = { ...DEFAULT_POLICIES, starterGrant: 0n };

/** Policies as the audit log stores them: amounts as strings. */
const audited = (policies: CommunityPolicies) => ({
  ...policies,
  starterGrant: String(policies.starterGrant),
  defaultLowerLimit: String(policies.defaultLowerLimit),
  defaultUpperLimit: policies.defaultUpperLimit === null ? null : String(policies.defaultUpperLimit),
});

const refusal = (code: CommunityErrorCode) => [expect.objectContaining({ code })];

/**
 * The communities service's own rules: what a community is born with, which policies contradict
 * one another, what a change keeps, and who may make it. Over GraphQL, test/e2e/coordination and
 * memberships check that the same calls arrive there, with the right errors.
 */
describe('communities and their policies, without HTTP', () => {
  const t = useTestServices();
  let admin: Actor;

  const newCommunity = (policies?: CommunityPoliciesInput): CreateCommunityInput => {
    const tag = randomUUID().slice(0, 8);
    return {
      slug: `service-${tag}`,
      name: `Service ${tag}`,
      currencyCode: 'HOUR',
      currencyName: 'Hour',
      currencySymbol: 'h',
      minorUnitsPerUnit: 60,
      policies,
    };
  };
  const policyChanges = (communityId: string) =>
    t.dataSource.query(
      `SELECT actor_role AS "actorRole", reason, details FROM audit_log
      WHERE community_id = $1 AND action = 'community.update_policies' ORDER BY id`,
      [communityId],
    );

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@test.example`;
    const { member } = await t.members.bootstrapAdmin(email, 'correct horse battery', 'An admin');
    admin = await actorOf(t, (await t.identity.startSession(member.id)).accessToken);
  });

  it('creates a community with its currency, its system accounts, and the default policies if given none', async () => {
    const { community, userErrors } = await t.communities.create(admin, newCommunity());

    expect(userErrors).toEqual([]);
    expect(await t.communities.policies(community!.id)).toEqual(DEFAULT_POLICIES);
    const [currency, ...others] = await t.communities.currenciesOf(community!.id);
    expect(others).toEqual([]);
    expect(currency).toMatchObject({ code: 'HOUR', minorUnitsPerUnit: 60 });
    for (const kind of [AccountKind.ISSUANCE, AccountKind.POOL] as const) {
      expect(await t.ledger.systemAccount(currency.id, kind)).toMatchObject({ balance: 0n });
    }
  });

  it('refuses a slug already taken with SLUG_TAKEN, creating nothing', async () => {
    const input = newCommunity();
    const first = (await t.communities.create(admin, input)).community!;
    const communities = (await t.communities.list()).length;

    const payload = await t.communities.create(admin, { ...input, name: 'Another name' });

    expect(payload).toEqual({ community: null, userErrors: refusal(CommunityErrorCode.SLUG_TAKEN) });
    expect(await t.communities.list()).toHaveLength(communities);
    expect(await t.communities.findBySlug(input.slug)).toEqual(first);
  });

  it.each([
    ['a positive default lower limit', { defaultLowerLimit: 60n }],
    ['a default upper limit below the starter grant', { starterGrant: 300n, defaultUpperLimit: 200n }],
    ['a negative starter grant', { starterGrant: -1n }],
  ])('refuses contradictory policies at creation (%s) with POLICY_INVALID, creating nothing', async (_, policies) => {
    const input = newCommunity(policies);

    const payload = await t.communities.create(admin, input);

    expect(payload).toEqual({ community: null, userErrors: refusal(CommunityErrorCode.POLICY_INVALID) });
    expect(await t.communities.findBySlug(input.slug)).toBeNull();
  });

  it('changes only the policies named, checks them with those kept, and audits each change', async () => {
    const fixture = await createLedgerFixture(t, []);
    const communityId = fixture.community.id;
    const coordinator = await actorOf(t, fixture.coordinator.token);
    const change = (policies: CommunityPoliciesInput) =>
      t.communities.updatePolicies(coordinator, { communityId, policies, reason: 'Annual meeting' });
    const capped = { ...FIXTURE_POLICIES, defaultUpperLimit: 600n, autoConfirmSeconds: 600 };
    const uncapped = { ...capped, starterGrant: 700n, defaultUpperLimit: null };

    expect((await change({ defaultUpperLimit: 600n, autoConfirmSeconds: 600 })).userErrors).toEqual([]);
    expect(await t.communities.policies(communityId)).toEqual(capped);
    // A starter grant above the upper limit kept from before contradicts it...
    expect((await change({ starterGrant: 700n })).userErrors).toEqual(refusal(CommunityErrorCode.POLICY_INVALID));
    expect(await t.communities.policies(communityId)).toEqual(capped);
    // ...and not once the same change clears the limit.
    expect((await change({ starterGrant: 700n, clearDefaultUpperLimit: true })).userErrors).toEqual([]);
    expect(await t.communities.policies(communityId)).toEqual(uncapped);

    // The refused change left no trace.
    const audit = (before: CommunityPolicies, after: CommunityPolicies) => ({
      actorRole: 'coordinator',
      reason: 'Annual meeting',
      details: { before: audited(before), after: audited(after) },
    });
    expect(await policyChanges(communityId)).toEqual([audit(FIXTURE_POLICIES, capped), audit(capped, uncapped)]);
  });

  it("refuses a member, another community's coordinator, and an admin naming no community", async () => {
    const fixture = await createLedgerFixture(t, [{}]);
    const elsewhere = await createLedgerFixture(t, []);
    const change = (actor: Actor, communityId: string) =>
      t.communities.updatePolicies(actor, { communityId, policies: { starterGrant: 60n }, reason: 'Generosity' });

    for (const [actor, communityId] of [
      [await actorOf(t, fixture.holders[0].token), fixture.community.id],
      [await actorOf(t, elsewhere.coordinator.token), fixture.community.id],
      [admin, NONEXISTENT_ID],
    ] as const) {
      await expect(change(actor, communityId)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    }
    expect(await t.communities.policies(fixture.community.id)).toEqual(FIXTURE_POLICIES);
    expect(await policyChanges(fixture.community.id)).toEqual([]);
  });
});
