import type { Locator } from 'playwright-core';
import { expectSessionEnded, expectSessionLive, login, logInAs } from '../e2e/auth-client.js';
import { gql } from '../e2e/graphql-client.js';
import { waitUntil } from '../support/held-locks.js';
import { chainEverything } from '../support/chain.js';
import { asSuperuser } from '../support/superuser.js';
import { browserAvailable, expectScreen } from './browser.js';
import type { Screen } from './browser.js';
import { EN_DESKTOP, EN_PHONE, KO_DESKTOP, KO_PHONE, useDemoInBrowser } from './demo.js';

const PROFILE = `{ me { bio district skills } }`;

/** Waits until `items` are `count` (a list the screen has just read again). */
async function waitForCount(items: Locator, count: number): Promise<void> {
  await waitUntil(`${count} shown`, async () => (await items.count()) === count);
}

const describeInBrowser = browserAvailable() ? describe : describe.skip;

describeInBrowser("a member's own screens and the coordinator's books, in a real browser", () => {
  const demo = useDemoInBrowser();
  const { t, password } = demo;
  const open = (screen: Screen, email: string, address: string) => demo.open(screen, email, { address });

  it('a member edits her profile, sees her sessions with this one marked, and ends another one, then all others, in Korean', async () => {
    const email = 'seoyeon@mapo.example';
    const elsewhere = await logInAs(t, email, password(email));
    const { page, context } = await open(KO_DESKTOP, email, '/app/profile');
    await expectScreen(page, '내 정보');

    await page.getByLabel('자기소개').fill('동네 아이들과 요리해요');
    await page.getByLabel(/^할 수 있는 일/).fill('요리, 아이 돌봄, 김치 담그기');
    await page.getByRole('button', { name: '정보 저장' }).click();
    await page.getByRole('status').getByText('정보를 저장했어요.').waitFor();
    const saved = await gql<{ me: { bio: string; skills: string[] } }>(elsewhere.client, PROFILE);
    expect(saved.me).toMatchObject({ bio: '동네 아이들과 요리해요', skills: ['요리', '아이 돌봄', '김치 담그기'] });

    // Two sessions: the browser's, marked as this one, and the API's, which she ends.
    const sessions = page.getByRole('region', { name: '로그인한 기기' }).getByRole('listitem');
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    expect(await sessions.filter({ hasText: '지금 이 기기' }).count()).toBe(1);
    await expectSessionLive(t, elsewhere.tokens.accessToken, elsewhere.memberId);
    await expectScreen(page, '로그인한 기기', 'profile-ko');
    await page.getByRole('button', { name: /로그인한 세션 끝내기$/ }).click();
    await page.getByRole('status').getByText('세션 1개를 끝냈어요.').waitFor();
    await waitForCount(sessions, 1);
    await expectSessionEnded(t, elsewhere.tokens.accessToken);

    // Two more elsewhere, ended together; this one stays.
    const [phone, tablet] = [await logInAs(t, email, password(email)), await logInAs(t, email, password(email))];
    await page.reload();
    await waitForCount(sessions, 3);
    await page.getByRole('button', { name: '다른 세션 모두 끝내기' }).click();
    await page.getByRole('status').getByText('세션 2개를 끝냈어요.').waitFor();
    await waitForCount(sessions, 1);
    await expectSessionEnded(t, phone.tokens.accessToken);
    await expectSessionEnded(t, tablet.tokens.accessToken);
    await context.close();
  });

  it('a member on a phone, in English, changes her password: a wrong current one is refused, the new one signs in', async () => {
    const email = 'hyun@mapo.example';
    const { page, context } = await open(EN_PHONE, email, '/app/');
    await page.getByRole('link', { name: 'My profile' }).click();
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel(/^New password/).fill('quiet river under maple 42');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Not changed: /)
      .waitFor();
    await expectScreen(page, 'My profile', 'profile-en-phone');

    await page.getByLabel('Current password').fill(password(email));
    await page.getByLabel(/^New password/).fill('quiet river under maple 42');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByRole('status').getByText('Your password is changed, and your other sessions have ended.').waitFor();
    expect((await login(t, email, password(email))).userErrors.map((error) => error.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    expect((await login(t, email, 'quiet river under maple 42')).userErrors).toEqual([]);
    await context.close();
  });

  it('a member posts a listing, in Korean; another finds it by a Korean word on his phone; she changes its price, pauses and closes it', async () => {
    const title = '장아찌 담그는 법 알려드려요';
    const minji = await open(KO_DESKTOP, 'minji@mapo.example', '/app/listings');
    const mine = minji.page.getByRole('region', { name: '내가 올린 글' });
    await mine.getByRole('button', { name: '글 올리기' }).click();
    await mine.getByLabel('제공해요').check();
    await mine.getByLabel(/^제목/).fill(title);
    await mine.getByLabel('분류').selectOption({ label: '요리' });
    await mine.getByLabel('자세한 내용').fill('간장 장아찌와 피클을 함께 담가요');
    await mine.getByLabel('시간', { exact: true }).fill('1');
    await mine.getByLabel('시간당').check();
    await mine.getByLabel(/^검색어/).fill('김장, 발효');
    await expectScreen(minji.page, '품앗이 찾기', 'listing-new-ko');
    await mine.getByRole('button', { name: '이 글 올리기' }).click();
    await mine.getByRole('status').getByText(`올렸어요: ${title}. 이제 검색에 나와요.`).waitFor();
    const posted = mine.getByRole('article', { name: title });
    await posted.getByText('게시 중').waitFor();

    const jiho = await open(EN_PHONE, 'jiho@mapo.example', '/app/listings');
    await jiho.page.getByLabel('Search listings (Korean or English)').fill('장아찌');
    const found = jiho.page.getByRole('article', { name: title });
    await found.getByText('Offered by Kim Minji').waitFor();
    await found.getByText('1 h an hour').waitFor();
    await expectScreen(jiho.page, /^Listings$/, 'listings-found-en-phone');

    await posted.getByRole('button', { name: `고치기: ${title}` }).click();
    await posted.getByLabel('분', { exact: true }).fill('30');
    await posted.getByRole('button', { name: '바꾼 내용 저장' }).click();
    await mine.getByRole('status').getByText(`고쳤어요: ${title}.`).waitFor();
    await posted.getByText('시간당 1시간 30분').waitFor();
    await posted.getByRole('button', { name: `잠시 멈추기: ${title}` }).click();
    await mine.getByRole('status').getByText(`잠시 멈췄어요: ${title}.`).waitFor();
    await posted.getByText('잠시 멈춤 (검색에 안 나와요)').waitFor();

    // Paused, it is no longer found; what the API says about it matches what she saw.
    await jiho.page.reload();
    await jiho.page.getByLabel('Search listings (Korean or English)').fill('장아찌');
    await jiho.page.getByText('No listing matches.').waitFor();
    const jihoApi = await logInAs(t, 'jiho@mapo.example', password('jiho@mapo.example'));
    const paused = await gql<{ listings: { edges: { node: { title: string; price: string; tags: string[] } }[] } }>(
      jihoApi.client,
      `query($id: ID!) { listings(communityId: $id, query: "장아찌", status: PAUSED) { edges { node { title price tags } } } }`,
      { id: demo.communityId },
    );
    expect(paused.listings.edges.map((edge) => edge.node)).toEqual([{ title, price: '90', tags: ['김장', '발효'] }]);

    // Closing is for good: asked once more, then gone from her listings.
    await posted.getByRole('button', { name: `영영 닫기: ${title}` }).click();
    await posted.getByRole('button', { name: '네, 닫을게요' }).click();
    await mine.getByRole('status').getByText(`닫았어요: ${title}.`).waitFor();
    await posted.waitFor({ state: 'detached' });
    await Promise.all([minji.context.close(), jiho.context.close()]);
  });

  it('a coordinator records a checkpoint from the screen, then reads the audit log narrowed to one actor, with an entry opened', async () => {
    const coordinator = await logInAs(t, 'coordinator@mapo.example', password('coordinator@mapo.example'));
    await chainEverything(t.dataSource);
    const { page, context } = await open(EN_DESKTOP, 'coordinator@mapo.example', '/app/console/checkpoints');
    await page.getByRole('button', { name: 'Record a checkpoint now' }).click();
    const status = page.getByRole('status').getByText(/^Recorded checkpoint No\. \d+\.$/);
    await status.waitFor();
    const newest = await gql<{
      ledgerCheckpoints: { edges: { node: { sequence: number; checkpointHash: string } }[] };
    }>(
      coordinator.client,
      `query($id: ID!) { ledgerCheckpoints(communityId: $id, first: 1) { edges { node { sequence checkpointHash } } } }`,
      { id: demo.communityId },
    );
    const { sequence, checkpointHash } = newest.ledgerCheckpoints.edges[0].node;
    expect(await status.textContent()).toBe(`Recorded checkpoint No. ${sequence}.`);
    const row = page.getByRole('region', { name: 'Checkpoints' }).getByRole('row').nth(1);
    await row.getByRole('rowheader', { name: String(sequence), exact: true }).waitFor();
    await row.getByText(checkpointHash, { exact: true }).waitFor();
    // Nothing chained since: nothing to record.
    await page.getByRole('button', { name: 'Record a checkpoint now' }).click();
    await page.getByRole('status').getByText('Nothing was chained since the last checkpoint: none recorded.').waitFor();
    await expectScreen(page, 'Checkpoints', 'checkpoints-record-en');

    // The log as the API has it, by actor: the screen must show exactly one actor's entries.
    type Log = { auditLog: { edges: { node: { actorMember: { displayName: string } | null; targetId: string } }[] } };
    const LOG = `query($id: ID!, $actor: ID) {
      auditLog(communityId: $id, actorMemberId: $actor, first: 100) { edges { node { actorMember { displayName } targetId } } }
    }`;
    const everything = await gql<Log>(coordinator.client, LOG, { id: demo.communityId });
    const byCoordinator = await gql<Log>(coordinator.client, LOG, {
      id: demo.communityId,
      actor: coordinator.memberId,
    });
    expect(byCoordinator.auditLog.edges.length).toBeGreaterThan(0);
    expect(byCoordinator.auditLog.edges.length).toBeLessThan(everything.auditLog.edges.length);

    await page.goto('/app/console/audit');
    const rows = page.getByRole('region', { name: 'Audit log' }).locator('tbody tr');
    await rows.first().waitFor();
    await page.getByLabel('Done by').selectOption({ label: 'Han Jiwoo' });
    await page.getByRole('button', { name: 'Show' }).click();
    const shown = Array<string>(Math.min(byCoordinator.auditLog.edges.length, 20)).fill('Han Jiwoo').join('|');
    const actors = rows.locator('td:nth-of-type(2)');
    await waitUntil('the log shows Han Jiwoo only', async () => (await actors.allTextContents()).join('|') === shown);
    await rows.first().getByText('See all').click();
    await rows.first().getByText(byCoordinator.auditLog.edges[0].node.targetId, { exact: true }).waitFor();
    await expectScreen(page, 'Audit log', 'audit-actor-en');
    await context.close();
  });

  it("a coordinator on a phone, in Korean, reads a failed run's checks and the rows that break them", async () => {
    const coordinator = await logInAs(t, 'coordinator@mapo.example', password('coordinator@mapo.example'));
    type Run = { passed: boolean; checks: { name: string; passed: boolean; offendingRows: object[] }[] };
    const VERIFY = `mutation($id: ID!) { verifyLedger(input: { communityId: $id }) { run { passed checks { name passed offendingRows } } } }`;
    // One account's posted debits no longer match its postings, as a superuser could make them; undone below.
    const damage = (by: number) =>
      asSuperuser(process.env.PUMASI_TEST_DATABASE_URL!, async (sql) => {
        await sql(
          'UPDATE accounts SET posted_debits = posted_debits + $1 WHERE id = (SELECT max(account_id) FROM memberships)',
          [by],
        );
      });
    await damage(11);
    let run: Run;
    try {
      run = (await gql<{ verifyLedger: { run: Run } }>(coordinator.client, VERIFY, { id: demo.communityId }))
        .verifyLedger.run;
    } finally {
      await damage(-11);
    }
    expect(run.passed).toBe(false);
    const failed = run.checks.filter((check) => !check.passed);
    expect(failed.length).toBeGreaterThan(0);

    const { page, context } = await open(KO_PHONE, 'coordinator@mapo.example', '/app/console/verification');
    const alert = page.getByRole('article', { name: /에 실패한 검증$/ });
    for (const check of failed) {
      const item = alert.getByRole('listitem').filter({ hasText: check.name });
      await item.getByText(JSON.stringify(check.offendingRows[0]), { exact: false }).waitFor();
    }
    const passed = run.checks.length - failed.length;
    await page
      .getByRole('region', { name: '검증 기록 (최신순)' })
      .getByRole('row')
      .nth(1)
      .getByText(`${run.checks.length}개 중 ${passed}개 통과`)
      .waitFor();
    await expectScreen(page, '장부 검증', 'verification-checks-ko-phone');
    await context.close();
  });
});
