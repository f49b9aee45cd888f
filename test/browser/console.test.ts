import type { BrowserContext, Page } from 'playwright-core';
import { MembershipRole } from '../../src/members/models/member-enums.js';
import { DEMO_COMMUNITY_SLUG } from '../../src/seed/demo-community.js';
import { GOOD_PASSWORD, logInAs } from '../e2e/auth-client.js';
import { gql } from '../e2e/graphql-client.js';
import { waitUntil } from '../support/held-locks.js';
import type { GraphqlClient } from '../support/test-app.js';
import { browserAvailable, expectAccessible, expectScreen, screenshot, whileRelaying } from './browser.js';
import type { Screen } from './browser.js';
import { EN_DESKTOP, hoursAndMinutes, KO_PHONE, useDemoInBrowser } from './demo.js';

const COORDINATOR = 'coordinator@mapo.example';

interface Row {
  id: string;
  status: string;
  member: { email: string; displayName: string };
  account: { id: string; balance: string; lowerLimit: string | null; upperLimit: string | null };
}
const MEMBERSHIPS = `query All($id: ID!) {
  memberships(communityId: $id, first: 100) {
    edges { node { id status member { email displayName } account { id balance lowerLimit upperLimit } } }
  }
}`;

/** The twelve months the insights screen shows by default, as it asks for them (UTC, the current month last). */
function lastTwelveMonths(now = new Date()): { from: string; to: string } {
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return { from: month(-11).toISOString(), to: month(1).toISOString() };
}

const describeInBrowser = browserAvailable() ? describe : describe.skip;

describeInBrowser("the coordinator's members and insights in a real browser, on the demo community", () => {
  const demo = useDemoInBrowser();
  const { t } = demo;
  let coordinator: GraphqlClient;

  /** Every membership of the demo community as the API gives it, by the member's email. */
  async function memberships(): Promise<Map<string, Row>> {
    const data = await gql<{ memberships: { edges: { node: Row }[] } }>(coordinator, MEMBERSHIPS, {
      id: demo.communityId,
    });
    return new Map(data.memberships.edges.map(({ node }) => [node.member.email, node]));
  }

  /** A fresh browser profile signed in as the demo's coordinator, on the way to `address`. */
  const asCoordinator = (screen: Screen, address: string): Promise<{ page: Page; context: BrowserContext }> =>
    demo.open(screen, COORDINATOR, { address });

  /** The members table's rows as they stand, each as its text. */
  const memberRows = (page: Page) => page.getByRole('region', { name: 'Members' }).locator('tbody tr');
  const rowNames = async (page: Page) => memberRows(page).locator('th').allTextContents();

  beforeAll(async () => {
    coordinator = (await logInAs(t, COORDINATOR, demo.password(COORDINATOR))).client;
  });

  it('finds members by name and by email, sets limits (refused when the balance falls outside them), and reinstates with a note', async () => {
    const before = await memberships();
    const seoyeon = before.get('seoyeon@mapo.example')!;
    const balance = Number(seoyeon.account.balance);
    expect(balance).toBeGreaterThanOrEqual(120);
    const hyun = before.get('hyun@mapo.example')!;
    const suspended = await gql<{ suspendMembership: { userErrors: unknown[] } }>(
      coordinator,
      `mutation($input: MembershipActionInput!) { suspendMembership(input: $input) { userErrors { code } } }`,
      { input: { membershipId: hyun.id, reason: 'Missed three exchanges' } },
    );
    expect(suspended.suspendMembership.userErrors).toEqual([]);

    const { page, context } = await asCoordinator(EN_DESKTOP, '/app/console/members');
    await page.getByLabel('Find by name or email').fill('SEOYEON');
    await waitUntil(
      'the search by name shows Seoyeon only',
      async () => (await rowNames(page)).join() === 'Park Seoyeon',
    );
    await page.getByLabel('Find by name or email').fill('hyun@mapo');
    await waitUntil('the search by email shows Hyun only', async () => (await rowNames(page)).join() === 'Choi Hyun');

    // A cap below her balance is refused, and changes nothing; a cap at her balance is set.
    await page.getByLabel('Find by name or email').fill('seoyeon');
    const row = page.getByRole('row', { name: /Park Seoyeon/ });
    await page.getByRole('button', { name: 'Set limits: Park Seoyeon' }).click();
    const credit = row.getByRole('group', { name: /^Credit line/ });
    const cap = row.getByRole('group', { name: /^Highest balance/ });
    await credit.getByLabel('Hours').fill('2');
    await credit.getByLabel('Minutes').fill('0');
    await cap.getByLabel('Hours').fill(String(Math.floor(balance / 60) - 1));
    await cap.getByLabel('Minutes').fill('0');
    await row.getByLabel(/^Reason/).fill('Agreed at the members meeting');
    await page.getByRole('button', { name: 'Confirm: Set limits Park Seoyeon' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Not done: /)
      .waitFor();
    expect((await memberships()).get('seoyeon@mapo.example')!.account.upperLimit).toBe(seoyeon.account.upperLimit);

    await cap.getByLabel('Hours').fill(String(Math.floor(balance / 60)));
    await cap.getByLabel('Minutes').fill(String(balance % 60));
    await page.getByRole('button', { name: 'Confirm: Set limits Park Seoyeon' }).click();
    const limits = `${hoursAndMinutes(-120, 'en')} to ${hoursAndMinutes(balance, 'en')}`;
    await page.getByRole('status').getByText(`Park Seoyeon's limits are now ${limits}.`).waitFor();
    await row.getByText(limits, { exact: true }).waitFor();
    const after = (await memberships()).get('seoyeon@mapo.example')!.account;
    expect([after.lowerLimit, after.upperLimit]).toEqual(['-120', String(balance)]);
    await expectAccessible(page);
    await screenshot(page, 'members-limits-en');

    await page.getByLabel('Find by name or email').fill('');
    await page.getByLabel('Show').selectOption('SUSPENDED');
    await page.getByRole('button', { name: 'Reinstate: Choi Hyun' }).click();
    await page.getByLabel(/^Note/).fill('Talked it over: back in');
    await page.getByRole('button', { name: 'Confirm: Reinstate Choi Hyun' }).click();
    await page.getByRole('status').getByText('Choi Hyun is now Active.').waitFor();
    const log = await gql<{ auditLog: { edges: { node: { reason: string | null; targetId: string } }[] } }>(
      coordinator,
      `query($id: ID!) { auditLog(communityId: $id, action: "membership.reinstate", first: 1) { edges { node { reason targetId } } } }`,
      { id: demo.communityId },
    );
    expect(log.auditLog.edges[0].node.reason).toBe('Talked it over: back in');
    await context.close();
  });

  it('invites someone new, who is a member at once and signs up with the code shown', async () => {
    const { page, context } = await asCoordinator(EN_DESKTOP, '/app/console/members');
    await page.getByRole('button', { name: 'Invite a member' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Invite a member' }) });
    await form.getByLabel('Name').fill('Jung Hana');
    await form.getByLabel('Email').fill('hana@mapo.example');
    await expectScreen(page, 'Invite a member', 'members-invite-en');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    const said = page.getByRole('status').getByText(/^Invited Jung Hana, already approved/);
    await said.waitFor();
    const token = /: (\S+)$/.exec((await said.textContent())!)![1];

    expect((await memberships()).get('hana@mapo.example')?.status).toBe('ACTIVE');
    const accepted = await gql<{ acceptInvitation: { tokens: unknown } }>(
      t,
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { tokens { accessToken } } }`,
      { input: { token, password: GOOD_PASSWORD } },
    );
    expect(accepted.acceptInvitation.tokens).not.toBeNull();

    // The same email again is refused, in the API's words.
    await page.getByRole('button', { name: 'Invite a member' }).click();
    await form.getByLabel('Name').fill('Jung Hana');
    await form.getByLabel('Email').fill('hana@mapo.example');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Not done: /)
      .waitFor();
    await context.close();
  });

  it('pages past 50 memberships, and the search finds a member of any page', async () => {
    const community = await gql<{ community: { databaseId: string } }>(
      t,
      `{ community(slug: "${DEMO_COMMUNITY_SLUG}") { databaseId } }`,
    );
    // One after another: the list is oldest first, so the last of them is on the second page.
    for (let n = 1; n <= 50; n++) {
      const label = String(n).padStart(2, '0');
      const email = `paged-${label}@mapo.example`;
      const member = await t.members.createMember({ email, displayName: `Paged ${label}` });
      await t.members.admit(member!.id, community.community.databaseId, MembershipRole.MEMBER);
    }
    const total = (await memberships()).size;
    expect(total).toBeGreaterThan(50);

    const { page, context } = await asCoordinator(EN_DESKTOP, '/app/console/members');
    await page.getByText(`${total} memberships`).waitFor();
    await waitUntil('the first page shows 50', async () => (await rowNames(page)).length === 50);
    await page.getByRole('button', { name: 'Show 50 more' }).click();
    await waitUntil('every membership is shown', async () => (await rowNames(page)).length === total);
    expect(await page.getByRole('button', { name: 'Show 50 more' }).count()).toBe(0);
    // The server searches every page: the last member is found without reading the second page first.
    await page.reload();
    await page.getByLabel('Find by name or email').fill('paged-50@MAPO');
    await waitUntil('the search shows Paged 50', async () => (await rowNames(page)).join() === 'Paged 50');
    await context.close();
  });

  it('shows the amounts exchanged by category and by district, and a risk signal down to its account and transfer', async () => {
    type Part = { amount: string; category?: string | null; district?: string | null };
    const statistics = await gql<{
      communityStatistics: { total: { byCategory: Part[]; byDistrict: Part[] } };
      listingCategories: { slug: string; nameEn: string }[];
    }>(
      coordinator,
      `query($id: ID!, $from: DateTime!, $to: DateTime!) {
        communityStatistics(communityId: $id, from: $from, to: $to, interval: MONTH) {
          total { byCategory { category amount } byDistrict { district amount } }
        }
        listingCategories { slug nameEn }
      }`,
      { id: demo.communityId, ...lastTwelveMonths() },
    );
    const { byCategory, byDistrict } = statistics.communityStatistics.total;
    const category = byCategory.find((part) => part.category)!;
    const categoryName = statistics.listingCategories.find((c) => c.slug === category.category)!.nameEn;
    const district = byDistrict.find((part) => part.district)!;
    // Seoyeon's cap is her balance (set above): she holds all she may, and is flagged for it.
    const signals = await gql<{
      riskSignalsConnection: {
        edges: { node: { kind: string; memberName: string; evidence: { sinceTransfer?: { amount: string } } } }[];
      };
    }>(
      coordinator,
      `query($id: ID!) { riskSignalsConnection(communityId: $id, kinds: [HOARDING]) { edges { node {
        kind memberName evidence { ... on HoardingEvidence { sinceTransfer { amount } } }
      } } } }`,
      { id: demo.communityId },
    );
    const hoarding = signals.riskSignalsConnection.edges.find((edge) => edge.node.memberName === 'Park Seoyeon')!.node;

    const { page, context } = await asCoordinator(EN_DESKTOP, '/app/console/insights');
    for (const [title, name, amount] of [
      ['Amount exchanged by category', categoryName, category.amount],
      ['Amount exchanged by district', district.district!, district.amount],
    ] as const) {
      await page.getByRole('button', { name: `Figures: ${title}` }).click();
      const part = page.getByRole('region', { name: title }).getByRole('row', { name });
      await part
        .getByRole('cell')
        .last()
        .getByText(hoursAndMinutes(Number(amount), 'en'), { exact: true })
        .waitFor();
    }

    const signal = page.getByRole('article', { name: 'Park Seoyeon: hoarding' });
    await signal.getByRole('button', { name: 'What it rests on: Park Seoyeon' }).click();
    const behind = page.getByRole('region', { name: 'Transfers behind the signal on Park Seoyeon' });
    const amount = hoursAndMinutes(Number(hoarding.evidence.sinceTransfer!.amount), 'en');
    await behind.getByRole('row').nth(1).getByRole('cell', { name: amount, exact: true }).waitFor();
    await expectScreen(page, 'Risk signals', 'insights-risk-en');
    await context.close();
  });

  it('a coordinator grants credits and sees the balance, and the money in members hands on the insights, change at once', async () => {
    const minji = (await memberships()).get('minji@mapo.example')!;
    expect(Number(minji.account.balance)).toBeGreaterThanOrEqual(0);
    const insights = await asCoordinator(EN_DESKTOP, '/app/console/insights');
    await insights.page.locator('summary').click();
    // The current month is the table's last row; its fifth figure is the money in members' hands.
    const inHand = insights.page
      .getByRole('region', { name: 'The figures behind the charts' })
      .locator('tbody tr')
      .last()
      .locator('td')
      .nth(4);
    await inHand.waitFor();
    const parse = (text: string) => {
      const [, h, m] = /^(?:(\d+) h)? ?(?:(\d+) min)?$/.exec(text.trim())!;
      return Number(h ?? 0) * 60 + Number(m ?? 0);
    };
    const before = parse((await inHand.textContent())!);

    const members = await asCoordinator(EN_DESKTOP, '/app/console/members');
    const row = members.page.getByRole('row', { name: /Kim Minji/ });
    await row.getByText(hoursAndMinutes(Number(minji.account.balance), 'en'), { exact: true }).waitFor();
    await members.page.getByRole('button', { name: 'Grant credits: Kim Minji' }).click();
    await row.getByLabel('Hours').fill('2');
    await row.getByLabel(/^Reason/).fill('Ran the repair café');
    await members.page.getByRole('button', { name: 'Confirm: Grant credits Kim Minji' }).click();
    await members.page.getByRole('status').getByText('Granted 2 h to Kim Minji.').waitFor();
    await row.getByText(hoursAndMinutes(Number(minji.account.balance) + 120, 'en'), { exact: true }).waitFor();

    // The insights screen, open elsewhere, hears of the grant over its subscription.
    await whileRelaying(t.app, () =>
      insights.page
        .getByRole('region', { name: 'The figures behind the charts' })
        .locator('tbody tr')
        .last()
        .getByText(hoursAndMinutes(before + 120, 'en'), { exact: true })
        .waitFor({ timeout: 10_000 }),
    );
    await screenshot(insights.page, 'insights-after-grant-en');
    await Promise.all([insights.context.close(), members.context.close()]);
  });

  it('members and insights in Korean on a phone, with axe passing', async () => {
    const { page, context } = await asCoordinator(KO_PHONE, '/app/console/members');
    await page.getByLabel('이름이나 이메일로 찾기').fill('seoyeon');
    await page.getByRole('row', { name: /Park Seoyeon/ }).waitFor();
    await page.getByRole('button', { name: '한도 정하기: Park Seoyeon' }).click();
    await expectScreen(page, '회원', 'members-limits-ko-phone');

    await page.getByRole('link', { name: '통계' }).click();
    await page
      .getByRole('article', { name: 'Park Seoyeon: 쌓아 두기' })
      .getByRole('button', { name: '근거 보기: Park Seoyeon' })
      .click();
    await page.getByRole('button', { name: '수치 보기: 분야별 거래량' }).click();
    await page.getByRole('region', { name: 'Park Seoyeon님 신호의 근거가 된 거래' }).waitFor();
    await expectScreen(page, '통계', 'insights-risk-ko-phone');
    await context.close();
  });
});
