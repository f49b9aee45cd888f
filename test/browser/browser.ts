import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FIRST_LOGINS_FILE } from '../../src/seed/first-logins.js';

/**
 * Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it), or CHROMIUM_PATH:
 * Playwright's own browser download cannot work without the internet.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests run: always in CI (.ci/run sets PUMASI_BROWSER_TESTS=required, and a
 * missing Chromium fails them there); on a newcomer's machine without Chromium they are skipped,
 * and say so (docs/testing.md).
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.PUMASI_BROWSER_TESTS === 'required') {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface Screen {
  locale: 'ko-KR' | 'en-US';
  viewport: { width: number; height: number };
}

/** A fresh browser profile (no tokens, no language chosen) with the browser's language and size. */
export function openContext(browser: Browser, baseURL: string, screen: Screen): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale: screen.locale, viewport: screen.viewport });
}

/** axe-core's WCAG A and AA rules on the page as it is: none serious or critical may be found. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const grave = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(grave).toEqual([]);
}

/** A screen is shown once its heading is: then axe checks it, and it is saved for people to look at when named. */
export async function expectScreen(page: Page, heading: string | RegExp, screenshotName?: string): Promise<void> {
  await page.getByRole('heading', { name: heading }).waitFor();
  await expectAccessible(page);
  if (screenshotName) await screenshot(page, screenshotName);
}

const SCREENSHOTS = join('.ci', 'out', 'screenshots');

/** The whole page, for people to look at: .ci/out/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The demo's logins, as the first start writes them for a production operator (role, email, password). */
export function demoLogins(dataDir: string): Map<string, string> {
  const lines = readFileSync(join(dataDir, FIRST_LOGINS_FILE), 'utf8').split('\n').slice(1);
  return new Map(lines.filter(Boolean).map((line) => line.trim().split(/\s+/).slice(1, 3) as [string, string]));
}

/** The login screen's words in each language: the screen is found by them, as a member would find it. */
const LOGIN_WORDS = {
  'ko-KR': { title: '품앗이 로그인', email: '이메일', password: '비밀번호', submit: '로그인' },
  'en-US': { title: 'Sign in to Pumasi', email: 'Email', password: 'Password', submit: 'Sign in' },
};

/** Opens the app at `address` and signs in through the login screen it is sent to, in the screen's language. */
export async function signIn(
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
