import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ExchangesService } from '../../src/exchanges/exchanges.service.js';
import { ListingsService } from '../../src/listings/listings.service.js';
import { DEMO_COMMUNITY_SLUG, seedDemoCommunity } from '../../src/seed/demo-community.js';
import { FIRST_LOGINS_FILE } from '../../src/seed/first-logins.js';
import { gql } from '../e2e/graphql-client.js';
import { useTestApp } from '../support/test-app.js';
import type { GraphqlClient, TestApp } from '../support/test-app.js';
import { DESKTOP, expectScreen, launchChromium, openContext, PHONE } from './browser.js';
import type { Screen } from './browser.js';

/** The browser tests' screens: each language on a desktop and on a phone. */
export const KO_DESKTOP: Screen = { locale: 'ko-KR', viewport: DESKTOP };
export const KO_PHONE: Screen = { locale: 'ko-KR', viewport: PHONE };
export const EN_DESKTOP: Screen = { locale: 'en-US', viewport: DESKTOP };
export const EN_PHONE: Screen = { locale: 'en-US', viewport: PHONE };

/**
 * Minutes as a member reads them, written out here independently of the app's formatter: the
 * oracle for what the screens must show ("1시간 30분", "1 h 30 min", "−45 min").
 */
export function hoursAndMinutes(minutes: number, locale: 'ko' | 'en'): string {
  const [h, m] = [Math.floor(Math.abs(minutes) / 60), Math.abs(minutes) % 60];
  const [hours, rest] = locale === 'ko' ? [`${h}시간`, `${m}분`] : [`${h} h`, `${m} min`];
  const text = h === 0 ? rest : m === 0 ? hours : `${hours} ${rest}`;
  return (minutes < 0 ? '−' : '') + text;
}

/** The demo's logins, as the first start writes them for a production operator (role, email, password). */
function demoLogins(dataDir: string): Map<string, string> {
  const lines = readFileSync(join(dataDir, FIRST_LOGINS_FILE), 'utf8').split('\n').slice(1);
  return new Map(lines.filter(Boolean).map((line) => line.trim().split(/\s+/).slice(1, 3) as [string, string]));
}

export const BALANCE = `query Balance($id: ID!) { account(id: $id) { balance } }`;
export const PAY = `mutation Pay($input: CreateTransferInput!) { createTransfer(input: $input) { userErrors { code } } }`;
const OWN_ACCOUNT = `{ viewer { member { memberships { account { id balance } } } } }`;

/** The signed-in member's account in the demo community (their only membership), as the API has it now. */
export async function ownAccount(client: GraphqlClient): Promise<{ id: string; balance: string }> {
  const data = await gql<{ viewer: { member: { memberships: { account: { id: string; balance: string } }[] } } }>(
    client,
    OWN_ACCOUNT,
  );
  return data.viewer.member.memberships[0].account;
}

/** The login screen's words in each language: the screen is found by them, as a member would find it. */
const LOGIN_WORDS = {
  'ko-KR': { title: '품앗이 로그인', email: '이메일', password: '비밀번호', submit: '로그인' },
  'en-US': { title: 'Sign in to Pumasi', email: 'Email', password: 'Password', submit: 'Sign in' },
};

/** Opens the app at `address` and signs in through the login screen it is sent to, in the screen's language. */
async function signIn(
  page: Page,
  screen: Screen,
  email: string,
  password: string,
  address: string,
  screenshotName?: string,
) {
  const words = LOGIN_WORDS[screen.locale];
  await page.goto(address);
  await expectScreen(page, words.title, screenshotName);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(password);
  await page.getByRole('button', { name: words.submit }).click();
}

/** The demo community served by a real server, and a Chromium to visit it with. */
export interface DemoInBrowser {
  t: TestApp;
  browser: Browser;
  communityId: string;
  /** A demo member's password, as the first start wrote it. */
  password: (email: string) => string;
  /**
   * A fresh browser profile with the screen's language and size, signed in as the demo's `email`
   * on the way to `address` (the app's start by default).
   */
  open: (
    screen: Screen,
    email: string,
    options?: { address?: string; loginScreenshot?: string },
  ) => Promise<{ page: Page; context: BrowserContext }>;
}

/**
 * Starts the real server on its own database, seeds the demo community as the first start does
 * (in production mode, so that its logins are written out), and launches Chromium: for a
 * describe block's tests, closed after them.
 */
export function useDemoInBrowser(): DemoInBrowser {
  const t = useTestApp();
  let logins: Map<string, string>;
  const demo: DemoInBrowser = {
    t,
    browser: undefined as unknown as Browser,
    communityId: '',
    password: (email) => logins.get(email)!,
    async open(screen, email, { address = '/app/', loginScreenshot } = {}) {
      const context = await openContext(demo.browser, t.url, screen);
      const page = await context.newPage();
      await signIn(page, screen, email, demo.password(email), address, loginScreenshot);
      return { page, context };
    },
  };
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pumasi-web-'));
    const services = { ...t, listings: t.app.get(ListingsService), exchanges: t.app.get(ExchangesService) };
    await seedDemoCommunity(services, { production: true, dataDir });
    logins = demoLogins(dataDir);
    const community = await gql<{ community: { id: string } }>(
      t,
      `{ community(slug: "${DEMO_COMMUNITY_SLUG}") { id } }`,
    );
    demo.communityId = community.community.id;
    demo.browser = await launchChromium();
  });
  afterAll(async () => demo.browser?.close());
  return demo;
}
