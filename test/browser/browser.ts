import { AxeBuilder } from '@axe-core/playwright';
import type { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EventRelaySweeper } from '../../src/events/event-relay.sweeper.js';

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

/**
 * Runs `work` while the event relay publishes (background jobs are off in tests: this is its
 * loop): well within a screen's slowest poll (60 s while its subscription works), what `work`
 * waits for must show without a reload.
 */
export async function whileRelaying(app: INestApplicationContext, work: () => Promise<void>): Promise<void> {
  const relay = setInterval(
    () =>
      void app
        .get(EventRelaySweeper)
        .sweep()
        .catch(() => undefined),
    100,
  );
  try {
    await work();
  } finally {
    clearInterval(relay);
  }
}
